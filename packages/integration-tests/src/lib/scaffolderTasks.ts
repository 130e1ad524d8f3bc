import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';

/** How a template step gets its input: literal values, parameters and scaffolder secrets. */
export interface StepSpec {
  id?: string;
  action: string;
  /** Input keys filled from `${{ parameters.<key> }}` (values given when the task is created). */
  parameters?: string[];
  /** Input keys (dotted paths allowed, e.g. `credential.token`) filled from `${{ secrets.<name> }}`. */
  secrets?: Record<string, string>;
  /** Literal input (templating allowed, e.g. `${{ steps.x.output.kubeconfig }}`). */
  input?: Record<string, unknown>;
}

function setPath(target: Record<string, any>, path: string, value: unknown) {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) node = node[p] ??= {};
  node[parts[parts.length - 1]] = value;
}

/**
 * A Template entity whose steps run the given actions; secrets reach the input only through
 * `${{ secrets.* }}`, as a `ui:field: Secret` parameter delivers them.
 */
export function templateEntity(name: string, steps: StepSpec[]): Entity {
  // A dotted input path (`credential.token`) comes from the parameter `credential_token`.
  const parameterNames = [
    ...new Set(steps.flatMap(s => s.parameters ?? []).map(p => p.replace(/\./g, '_'))),
  ];
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': 'url:https://example.com/templates.yaml',
        'backstage.io/managed-by-origin-location': 'url:https://example.com/templates.yaml',
      },
    },
    spec: {
      type: 'service',
      owner: 'group:default/platform',
      parameters: [
        {
          properties: Object.fromEntries(parameterNames.map(p => [p, {}])),
        },
      ],
      steps: steps.map((s, i) => {
        const input: Record<string, any> = structuredClone(s.input ?? {});
        for (const p of s.parameters ?? []) {
          setPath(input, p, `\${{ parameters.${p.replace(/\./g, '_')} }}`);
        }
        for (const [path, secret] of Object.entries(s.secrets ?? {})) {
          setPath(input, path, `\${{ secrets.${secret} }}`);
        }
        return { id: s.id ?? `step${i}`, name: s.action, action: s.action, input };
      }),
    },
  };
}

/** What a task did, as its API reports it. */
export interface TaskResult {
  id: string;
  status: string;
  /** Every log line of every step, as the scaffolder stored it (after its redaction). */
  log: string[];
  /** The failed step's error, then the completion event's message. */
  message: string;
  /** The raw events and task, for secret scans. */
  raw: string;
  /** The template's output (links, text), from the completion event. */
  output?: any;
}

/**
 * Creates a task of a registered template through the scaffolder API as `authorization` (none: the
 * test backend's default caller), waits for it to finish, and returns its status and log.
 */
export async function runTask(
  server: any,
  authorization: string | undefined,
  template: string,
  values: Record<string, unknown>,
  secrets: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<TaskResult> {
  const as = <T extends { set(k: string, v: string): T }>(r: T) =>
    authorization ? r.set('Authorization', authorization) : r;
  const created = await as(request(server).post('/api/scaffolder/v2/tasks'))
    .send({ templateRef: `template:default/${template}`, values, secrets });
  if (created.status !== 201) {
    throw new Error(`creating a task of ${template}: ${created.status} ${created.text}`);
  }
  const id = created.body.id as string;
  const until = Date.now() + timeoutMs;
  let task: any;
  for (;;) {
    const res = await as(request(server).get(`/api/scaffolder/v2/tasks/${id}`));
    task = res.body;
    if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
    if (Date.now() > until) throw new Error(`task ${id} of ${template} still ${task.status}`);
    await new Promise(r => setTimeout(r, 200));
  }
  const events = await as(request(server).get(`/api/scaffolder/v2/tasks/${id}/events`));
  const list: any[] = Array.isArray(events.body) ? events.body : [];
  const completion = list.find(e => e.type === 'completion');
  // A failed step logs its error with status `failed`; the completion only says that it failed.
  const failures = list
    .filter(e => e.type === 'log' && e.body?.status === 'failed')
    .map(e => String(e.body?.message ?? ''));
  return {
    id,
    status: task.status,
    log: list.filter(e => e.type === 'log').map(e => String(e.body?.message ?? '')),
    message: [...failures, String(completion?.body?.message ?? '')].join(' '),
    raw: `${JSON.stringify(task)} ${events.text}`,
    output: completion?.body?.output,
  };
}
