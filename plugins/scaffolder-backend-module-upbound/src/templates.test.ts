import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { permissionsAnswering, testHandoff } from './__testUtils__/context';
import { createFakeUpbound } from './__testUtils__/fakeUpbound';
import {
  createArgoCdConnectAction,
  createClaimCreateAction,
  createConnectorInstallAction,
  createConnectorUninstallAction,
  createControlPlaneKubeconfigAction,
  createFluxConnectAction,
} from './actions';

const TEMPLATES_DIR = path.resolve(__dirname, '../../../templates');

/** Actions of @backstage/plugin-scaffolder-backend 4.x that the example backend registers. */
const BUILTIN_ACTIONS = [
  'catalog:fetch',
  'catalog:register',
  'catalog:write',
  'debug:log',
  'debug:wait',
  'fetch:plain',
  'fetch:plain:file',
  'fetch:template',
  'fetch:template:file',
  'fs:delete',
  'fs:readdir',
  'fs:rename',
  'workspace:template',
  'workspace:template:file',
];

/** Field extensions: ours (frontend plugin) and the scaffolder's built-ins. */
const FIELDS = [
  'UpboundControlPlanePicker',
  'UpboundClaimApiPicker',
  'UpboundAppClusterPicker',
  'EntityPicker',
  'EntityNamePicker',
  'EntityTagsPicker',
  'MultiEntityPicker',
  'OwnerPicker',
  'OwnedEntityPicker',
  'MyGroupsPicker',
  'RepoUrlPicker',
  'RepoBranchPicker',
  'Secret',
];

const { service } = createFakeUpbound();
const options = { upbound: service, permissions: permissionsAnswering(), handoff: testHandoff() };
const ourActions = [
  createClaimCreateAction(options),
  createConnectorInstallAction(options),
  createConnectorUninstallAction(options),
  createArgoCdConnectAction(options),
  createFluxConnectAction(options),
  createControlPlaneKubeconfigAction(options),
];
const actionsById = new Map<string, any>(ourActions.map(a => [a.id, a]));

const templateFiles = fs
  .readdirSync(TEMPLATES_DIR)
  .filter(f => f.endsWith('.yaml') && f !== 'catalog-info.yaml');

function collectFields(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach(n => collectFields(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'ui:field') out.push(String(v));
      collectFields(v, out);
    }
  }
  return out;
}

describe('templates', () => {
  it('are all listed in the templates Location', () => {
    const location = parse(fs.readFileSync(path.join(TEMPLATES_DIR, 'catalog-info.yaml'), 'utf8'));
    expect(location.kind).toBe('Location');
    expect([...location.spec.targets].sort()).toEqual(templateFiles.map(f => `./${f}`).sort());
  });

  describe.each(templateFiles)('%s', file => {
    const text = fs.readFileSync(path.join(TEMPLATES_DIR, file), 'utf8');
    const template = parse(text);
    // Properties of each page, and of the pages' JSON-schema dependencies (fields shown for one choice).
    const pageProperties = (p: any): string[] => [
      ...Object.keys(p.properties ?? {}),
      ...Object.values<any>(p.dependencies ?? {}).flatMap(d =>
        [...(d.oneOf ?? []), ...(d.anyOf ?? [])].flatMap(pageProperties),
      ),
    ];
    const parameterNames = new Set<string>(
      template.spec.parameters.flatMap(pageProperties),
    );

    it('is a v1beta3 Template', () => {
      expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
      expect(template.kind).toBe('Template');
      expect(template.metadata.name).toMatch(/^[a-z0-9-]+$/);
    });

    it('uses only registered actions, with inputs those actions declare', () => {
      for (const step of template.spec.steps) {
        const known = actionsById.has(step.action) || BUILTIN_ACTIONS.includes(step.action);
        expect({ step: step.id, action: step.action, known }).toEqual({
          step: step.id,
          action: step.action,
          known: true,
        });
      }
      const ourSteps = template.spec.steps.filter((s: any) => actionsById.has(s.action));
      for (const step of ourSteps) {
        const schema = actionsById.get(step.action).schema.input;
        const declared = Object.keys(schema.properties);
        for (const key of Object.keys(step.input ?? {})) {
          expect({ step: step.id, input: key, declared: declared.includes(key) }).toEqual({
            step: step.id,
            input: key,
            declared: true,
          });
        }
        for (const required of schema.required ?? []) {
          expect(Object.keys(step.input ?? {})).toContain(required);
        }
      }
    });

    it('uses only known field extensions', () => {
      for (const field of collectFields(template.spec.parameters)) {
        expect(FIELDS).toContain(field);
      }
    });

    it('references only parameters it defines and steps that come before', () => {
      for (const [, name] of text.matchAll(/parameters\.([A-Za-z0-9_]+)/g)) {
        expect(parameterNames).toContain(name);
      }
      const stepIds = template.spec.steps.map((s: any) => s.id);
      for (const [, id] of text.matchAll(/steps\.([A-Za-z0-9_-]+)\.output/g)) {
        expect(stepIds).toContain(id);
      }
    });

    it('never puts a kubeconfig into the template output', () => {
      expect(JSON.stringify(template.spec.output ?? {})).not.toMatch(/kubeconfig/i);
    });
  });
});
