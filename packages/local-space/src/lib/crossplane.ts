// Real Crossplane in the local Space: one Crossplane core and one provider-nop per running control plane, and
// one function-patch-and-transform shared by all, as local processes with the real CRDs from their modules.
// The fixtures' XRDs, Compositions, claims and XRs are inputs; Crossplane and provider-nop write every
// composite, composed resource, reference, label, condition and event.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { LocalControlPlane, LocalSpaceState } from './space.ts';
import { CONNECTOR_CLAIM_NAMESPACE, REPO_ROOT } from './layout.ts';
import type { ControlPlaneSlot, SpaceFiles } from './layout.ts';
import { loadFixtures } from './fixtures.ts';
import type { FixtureVars } from './fixtures.ts';
import { KubeRequester } from './kube.ts';
import type { KubeObject } from './kube.ts';
import { isOurs, spawnDetached, stopProcess, waitReady, waitTcp } from './processes.ts';
import type { LocalProcess, Log, ProcessEntry } from './processes.ts';
import { seedObjects } from './seed.ts';

const noop: Log = () => {};
export const FUNCTION_NAME = 'function-patch-and-transform';
const FUNCTION_IMAGE = 'xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.10.8';
const CROSSPLANE_NAMESPACE = 'crossplane-system';
/** How often provider-nop looks at each NopResource: the granularity of their `conditionAfter` times. */
const NOP_POLL_INTERVAL = '2s';

/** Bin dirs of the Crossplane, function and provider-nop builds. */
export interface CrossplaneBins {
  crossplane: string;
  function: string;
  providerNop: string;
}

/** Crossplane's and provider-nop's CRD dirs, from their modules. */
export interface CrossplaneCrdDirs {
  crossplane: string;
  providerNop: string;
}

/**
 * Crossplane in the local Space: one function-patch-and-transform shared by all control planes, and per
 * running control plane (by `<group>/<name>`) one Crossplane core (`port`: health probes) and one provider-nop
 * (`port`: metrics).
 * @public
 */
export interface LocalCrossplane {
  enabled: boolean;
  /** Bin dirs of the builds; null when Crossplane does not run. */
  bins: CrossplaneBins | null;
  crdDirs: CrossplaneCrdDirs;
  /** `port` is null when Crossplane does not run. */
  function: { name: string; port: number | null; pid: number | null };
  controlPlanes: Record<
    string,
    { crossplane: LocalProcess & { metricsPort: number }; providerNop: LocalProcess & { webhookPort: number } }
  >;
}

/** What the Crossplane steps of start and start-mcp need. */
interface CrossplaneContext {
  files: SpaceFiles;
  /** Writes state.json, so every pid is recorded as soon as it is spawned. */
  save: () => void;
  log?: Log;
}

/** A running Crossplane state: what `state.crossplane` is once Crossplane was started. */
type RunningState = LocalSpaceState & { crossplane: LocalCrossplane & { bins: CrossplaneBins } };

type Tls = { server: string; client: string };

/**
 * Ports from base+200, outside the block of the Space's servers and GitOps engines (base..base+99):
 * the function at +200, then four per control plane index i from +210: Crossplane metrics and health,
 * provider-nop metrics and webhook.
 */
export function crossplanePorts(basePort: number) {
  return {
    function: basePort + 200,
    controlPlane: (index: number) => {
      const p = basePort + 210 + 4 * index;
      return { metrics: p, health: p + 1, nopMetrics: p + 2, nopWebhook: p + 3 };
    },
  };
}

/** Every port the Crossplane processes of a Space with these control planes take, for the free-port check. */
export function crossplanePortList(basePort: number, controlPlanes: ControlPlaneSlot[]): number[] {
  const ports = crossplanePorts(basePort);
  return [ports.function, ...controlPlanes.filter(cp => cp.running).flatMap(cp => Object.values(ports.controlPlane(cp.index)))];
}

/**
 * Runs tools/crossplane/build.sh (cached; progress on stderr). Returns `{ crossplane, function, providerNop }`
 * bin dirs and the CRD dirs; with `crdsOnly`, only the CRD dirs from the modules (no build).
 */
export function buildCrossplane({ crdsOnly = false, log = noop }: { crdsOnly?: boolean; log?: Log } = {}): Promise<{
  bins: CrossplaneBins | null;
  crdDirs: CrossplaneCrdDirs;
}> {
  const script = path.join(REPO_ROOT, 'tools/crossplane/build.sh');
  return new Promise((resolve, reject) => {
    const child = execFile(script, crdsOnly ? ['--crds'] : [], { cwd: REPO_ROOT, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) {
        reject(new Error(`building Crossplane failed (${script}): ${err.message}`));
        return;
      }
      const out = Object.fromEntries(stdout.trim().split('\n').filter(l => l.includes('=')).map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      if (crdsOnly) {
        resolve({ bins: null, crdDirs: { crossplane: out.crossplane, providerNop: out['provider-nop'] } });
        return;
      }
      resolve({
        bins: { crossplane: out.crossplane, function: out[FUNCTION_NAME], providerNop: out['provider-nop'] },
        crdDirs: { crossplane: path.join(out.crossplane, 'crds'), providerNop: path.join(out['provider-nop'], 'crds') },
      });
    });
    child.stderr?.on('data', d => log(String(d).trimEnd()));
  });
}

/** The Crossplane part of state.json (pids are filled in as the processes start). */
export function crossplaneState(
  state: Pick<LocalSpaceState, 'basePort' | 'controlPlanes'>,
  { enabled, bins, crdDirs }: { enabled: boolean; bins: CrossplaneBins | null; crdDirs: CrossplaneCrdDirs },
): LocalCrossplane {
  const ports = crossplanePorts(state.basePort);
  const running = state.controlPlanes.filter(cp => cp.running);
  return {
    enabled,
    bins,
    crdDirs,
    function: { name: FUNCTION_NAME, port: enabled ? ports.function : null, pid: null },
    controlPlanes: Object.fromEntries(running.map((cp, index) => {
      const p = ports.controlPlane(index);
      return [`${cp.group}/${cp.name}`, {
        crossplane: { pid: null, port: p.health, metricsPort: p.metrics },
        providerNop: { pid: null, port: p.nopMetrics, webhookPort: p.nopWebhook },
      }];
    })),
  };
}

function yamlDocs(dir: string): KubeObject[] {
  return fs.readdirSync(dir).filter(f => /\.ya?ml$/.test(f)).sort().flatMap(f =>
    parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => {
      if (d.errors.length) throw new Error(`${dir}/${f}: ${d.errors[0].message}`);
      return d.toJS();
    }).filter(Boolean),
  );
}

/** Crossplane's and provider-nop's own CRDs, as their modules ship them. */
export function crossplaneCrds(state: LocalSpaceState): KubeObject[] {
  const dirs = state.crossplane?.crdDirs;
  if (!dirs) return [];
  return [...yamlDocs(dirs.crossplane), ...yamlDocs(dirs.providerNop)];
}

/** The claims and XRs of one control plane (and, in the connected one, the MCP Connector's claims). */
export function claimFixtures(cp: LocalControlPlane, vars: FixtureVars): KubeObject[] {
  const objects = loadFixtures('mcp/claims', vars);
  if (cp.connectorClaimNamespace) objects.push(...loadFixtures('mcp/connector', vars));
  return objects;
}

function processEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'LANG', 'TZ']) if (process.env[k]) env[k] = process.env[k];
  return { ...env, ...extra };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * TLS for the function's gRPC: Crossplane dials it with a client certificate and checks its serving
 * certificate against the Space CA; the function checks the client against the same CA. Returns the dirs
 * in the layout both expect (tls.crt, tls.key, ca.crt).
 */
export function ensureCrossplaneTls(files: SpaceFiles): Tls {
  const root = path.join(files.pkiDir, 'crossplane');
  const server = path.join(root, 'server');
  const client = path.join(root, 'client');
  for (const d of [server, client]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  for (const d of [server, client]) fs.copyFileSync(files.caFile, path.join(d, 'ca.crt'));
  fs.copyFileSync(files.servingCert, path.join(server, 'tls.crt'));
  fs.copyFileSync(files.servingKey, path.join(server, 'tls.key'));
  const cert = path.join(client, 'tls.crt');
  if (!fs.existsSync(cert) || fs.statSync(cert).mtimeMs < fs.statSync(files.caFile).mtimeMs) {
    fs.writeFileSync(path.join(client, 'client.ext'), 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'client.csr', '-subj', '/CN=crossplane'], client);
    openssl(['x509', '-req', '-in', 'client.csr', '-CA', files.caFile, '-CAkey', files.caKey, '-CAcreateserial',
      '-CAserial', path.join(client, 'ca.srl'), '-out', 'tls.crt', '-days', '3650', '-extfile', 'client.ext'], client);
  }
  for (const d of [server, client]) for (const f of fs.readdirSync(d)) fs.chmodSync(path.join(d, f), 0o600);
  return { server, client };
}


/**
 * A FunctionRevision made by hand, since no package registry is reachable: it names the local process as its
 * gRPC endpoint. It is paused, so the package manager never tries to pull its image (and never rewrites the
 * status set here); Crossplane's function runner only reads the active revision's endpoint and capabilities.
 */
function functionRevision(port: number): KubeObject {
  return {
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'FunctionRevision',
    metadata: {
      name: `${FUNCTION_NAME}-local`,
      labels: { 'pkg.crossplane.io/package': FUNCTION_NAME },
      annotations: { 'crossplane.io/paused': 'true' },
    },
    spec: { desiredState: 'Active', image: FUNCTION_IMAGE, revision: 1, ignoreCrossplaneConstraints: true },
    status: { endpoint: `dns:///127.0.0.1:${port}`, capabilities: ['composition'] },
  };
}

function binLink(state: LocalSpaceState, target: string, name: string): string {
  const dir = path.join(state.stateDir, 'crossplane', 'bin');
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  fs.rmSync(p, { force: true });
  fs.symlinkSync(target, p);
  return p;
}

/** Starts the shared function (once per Space). */
async function startFunction(state: RunningState, { files, tls, save, log = noop }: CrossplaneContext & { tls: Tls }) {
  const fn = state.crossplane.function;
  if (fn.port === null) throw new Error('Crossplane is not enabled in this Space');
  const port = fn.port;
  if (fn.pid && isOurs(fn.pid, state.stateDir)) return;
  log(`>> ${FUNCTION_NAME} on 127.0.0.1:${fn.port}`);
  const logFile = path.join(files.logsDir, `${FUNCTION_NAME}.log`);
  // The symlink puts the state dir in the command line, so `stop` knows the process is ours.
  fn.pid = spawnDetached(binLink(state, path.join(state.crossplane.bins.function, FUNCTION_NAME), FUNCTION_NAME),
    [`--address=127.0.0.1:${port}`, `--tls-certs-dir=${tls.server}`], logFile, processEnv({}));
  save();
  // The function serves gRPC only: a TCP connection is its readiness.
  await waitTcp({ name: FUNCTION_NAME, port, pid: fn.pid, stateDir: state.stateDir, logFile });
}

/** Starts Crossplane core and provider-nop against one control plane and registers the function there. */
async function startControlPlaneCrossplane(state: RunningState, cp: LocalControlPlane, { files, tls, save, log = noop }: CrossplaneContext & { tls: Tls }) {
  if (!cp.kubeconfigPath) throw new Error(`control plane ${cp.group}/${cp.name} has no API server`);
  const key = `${cp.group}/${cp.name}`;
  const rec = state.crossplane.controlPlanes[key];
  const slug = `${cp.group}-${cp.name}`;
  const kube = await KubeRequester.fromFile(cp.kubeconfigPath, { maxSockets: 4 });
  try {
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: CROSSPLANE_NAMESPACE } });
    await kube.apply(functionRevision(state.crossplane.function.port!));
  } finally {
    kube.close();
  }

  const dir = path.join(state.stateDir, 'crossplane', slug);
  fs.mkdirSync(path.join(dir, 'xpkg-cache'), { recursive: true });
  const env = processEnv({ KUBECONFIG: cp.kubeconfigPath, POD_NAMESPACE: CROSSPLANE_NAMESPACE, HOME: dir });
  if (!(rec.crossplane.pid && isOurs(rec.crossplane.pid, state.stateDir))) {
    log(`>> Crossplane for ${key} (health 127.0.0.1:${rec.crossplane.port})`);
    const logFile = path.join(files.logsDir, `crossplane-${slug}.log`);
    rec.crossplane.pid = spawnDetached(binLink(state, path.join(state.crossplane.bins.crossplane, 'crossplane'), 'crossplane'), [
      'core', 'start',
      '--enable-webhooks=false',
      // Packages are never installed here: the function runs as a local process (see functionRevision).
      '--package-runtime=External',
      `--xpkg-cache-dir=${path.join(dir, 'xpkg-cache')}`,
      `--metrics-port=${rec.crossplane.metricsPort}`,
      `--health-probe-port=${rec.crossplane.port}`,
      `--tls-client-certs-dir=${tls.client}`,
      `--tls-server-certs-dir=${tls.server}`,
    ], logFile, env);
    save();
    await waitReady({ name: `Crossplane for ${key}`, url: `http://127.0.0.1:${rec.crossplane.port}/readyz`, pid: rec.crossplane.pid, logFile });
  }
  if (!(rec.providerNop.pid && isOurs(rec.providerNop.pid, state.stateDir))) {
    log(`>> provider-nop for ${key} (metrics 127.0.0.1:${rec.providerNop.port})`);
    const logFile = path.join(files.logsDir, `provider-nop-${slug}.log`);
    rec.providerNop.pid = spawnDetached(
      binLink(state, path.join(state.crossplane.bins.providerNop, 'provider-nop'), `provider-nop-${slug}`),
      [`--poll=${NOP_POLL_INTERVAL}`, '--max-reconcile-rate=10'],
      logFile,
      processEnv({
        KUBECONFIG: cp.kubeconfigPath,
        TLS_SERVER_CERTS_DIR: tls.server,
        // Read by tools/crossplane/provider-nop/overlay/local_ports.go.
        PROVIDER_NOP_METRICS_BIND_ADDRESS: `127.0.0.1:${rec.providerNop.port}`,
        PROVIDER_NOP_WEBHOOK_PORT: String(rec.providerNop.webhookPort),
      }),
    );
    save();
    await waitReady({ name: `provider-nop for ${key}`, url: `http://127.0.0.1:${rec.providerNop.port}/metrics`, pid: rec.providerNop.pid, logFile });
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

type Condition = { type: string; status: string };

/** Waits until Crossplane established every XRD (and offered its claim) and serves the CRDs it generated. */
async function waitXrdsServed(kube: KubeRequester, timeoutMs = 90000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const xrds = (await kube.request('GET', '/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions')).items;
  for (const xrd of xrds) {
    const want = ['Established', ...(xrd.spec.claimNames ? ['Offered'] : [])];
    const crds = [`${xrd.spec.names.plural}.${xrd.spec.group}`, ...(xrd.spec.claimNames ? [`${xrd.spec.claimNames.plural}.${xrd.spec.group}`] : [])];
    for (;;) {
      const cur = await kube.request('GET', `/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions/${xrd.metadata.name}`);
      const ok = want.every(t => cur.status?.conditions?.some((c: Condition) => c.type === t && c.status === 'True'));
      if (ok) {
        const served = await Promise.all(crds.map(async name => {
          const res = await kube.once('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
          return res.status === 200 && res.body.status?.conditions?.some((c: Condition) => c.type === 'Established' && c.status === 'True');
        }));
        if (served.every(Boolean)) break;
      }
      if (Date.now() > deadline) {
        throw new Error(`Crossplane did not establish XRD ${xrd.metadata.name} in time: ${JSON.stringify(cur.status?.conditions ?? [])}`);
      }
      await sleep(200);
    }
  }
  kube.discovery.clear();
}

/** Waits until Crossplane reconciled each seeded claim and XR once (it has a Synced condition). */
async function waitReconciled(kube: KubeRequester, objects: KubeObject[], timeoutMs = 90000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const obj of objects.filter(o => o.kind !== 'Namespace')) {
    const { path: objPath } = await kube.objectPath(obj);
    for (;;) {
      const cur = await kube.request('GET', objPath);
      if (cur.status?.conditions?.some((c: Condition) => c.type === 'Synced')) break;
      if (Date.now() > deadline) throw new Error(`Crossplane did not reconcile ${obj.kind} ${obj.metadata.name} in time`);
      await sleep(200);
    }
  }
}

/**
 * Applies the claims and XRs of every running control plane once Crossplane serves their types, and waits
 * until Crossplane picked each one up. Returns the number of objects applied.
 */
export async function seedClaims(state: LocalSpaceState, { log = noop }: { log?: Log } = {}): Promise<number> {
  const vars = { clusterId: state.appCluster.clusterId, claimNamespace: CONNECTOR_CLAIM_NAMESPACE };
  let total = 0;
  await Promise.all(state.controlPlanes.filter(cp => cp.running).map(async cp => {
    const kube = await KubeRequester.fromFile(cp.kubeconfigPath!, { maxSockets: 8 });
    try {
      await waitXrdsServed(kube);
      const objects = claimFixtures(cp, { ...vars, controlPlane: cp.name, group: cp.group });
      total += await seedObjects(kube, objects, { concurrency: 8 });
      await waitReconciled(kube, objects);
    } finally {
      kube.close();
    }
  }));
  log(`   seeded ${total} claims and XRs; Crossplane composes them`);
  return total;
}

/** `state` with Crossplane enabled and built; throws otherwise. */
function runningState(state: LocalSpaceState): RunningState {
  if (!state.crossplane?.enabled || !state.crossplane.bins) throw new Error('Crossplane is not enabled in this Space');
  return state as RunningState;
}

/** Starts the function, then Crossplane and provider-nop for every running control plane, then seeds claims. */
export async function startCrossplane(state: LocalSpaceState, { files, save, log = noop }: CrossplaneContext): Promise<number> {
  const running = runningState(state);
  const tls = ensureCrossplaneTls(files);
  await startFunction(running, { files, tls, save, log });
  await Promise.all(state.controlPlanes.filter(cp => cp.running)
    .map(cp => startControlPlaneCrossplane(running, cp, { files, tls, save, log })));
  return seedClaims(state, { log });
}

/** Starts Crossplane and provider-nop of one control plane again (start-mcp). */
export async function startControlPlaneCrossplaneAgain(
  state: LocalSpaceState,
  cp: LocalControlPlane,
  { files, save, log = noop }: CrossplaneContext,
): Promise<void> {
  if (!state.crossplane?.enabled) return;
  const running = runningState(state);
  const tls = ensureCrossplaneTls(files);
  await startFunction(running, { files, tls, save, log });
  await startControlPlaneCrossplane(running, cp, { files, tls, save, log });
}

/** Stops Crossplane and provider-nop of one control plane (stop-mcp). */
export async function stopControlPlaneCrossplane(state: LocalSpaceState, cp: LocalControlPlane): Promise<void> {
  const rec = state.crossplane?.controlPlanes?.[`${cp.group}/${cp.name}`];
  if (!rec) return;
  for (const p of [rec.providerNop, rec.crossplane]) {
    if (p.pid) await stopProcess(p.pid, state.stateDir);
    p.pid = null;
  }
}

/** Every Crossplane process in `state`, with a label, for status and stop. */
export function crossplaneProcesses(state: LocalSpaceState): ProcessEntry[] {
  const x = state.crossplane;
  if (!x) return [];
  const list: ProcessEntry[] = [];
  for (const [key, rec] of Object.entries(x.controlPlanes ?? {})) {
    if (rec.providerNop?.pid) list.push({ label: `provider-nop ${key}`, pid: rec.providerNop.pid, port: rec.providerNop.port });
    if (rec.crossplane?.pid) list.push({ label: `crossplane ${key}`, pid: rec.crossplane.pid, port: rec.crossplane.port });
  }
  if (x.function?.pid) list.push({ label: 'patch-and-transform fn', pid: x.function.pid, port: x.function.port });
  return list;
}

/** Forgets the pids of `state.crossplane` (after stop). */
export function clearCrossplanePids(state: LocalSpaceState): void {
  const x = state.crossplane;
  if (!x) return;
  if (x.function) x.function.pid = null;
  for (const rec of Object.values(x.controlPlanes ?? {})) {
    rec.crossplane.pid = null;
    rec.providerNop.pid = null;
  }
}

/** True when Crossplane is off, or the function and both processes of every running control plane run. */
export function crossplaneRunning(state: LocalSpaceState): boolean {
  const x = state.crossplane;
  if (!x?.enabled) return true;
  const mine = (pid: number | null) => isOurs(pid, state.stateDir);
  return mine(x.function.pid) && state.controlPlanes.filter(cp => cp.running).every(cp => {
    const rec = x.controlPlanes[`${cp.group}/${cp.name}`];
    return rec && mine(rec.crossplane.pid) && mine(rec.providerNop.pid);
  });
}
