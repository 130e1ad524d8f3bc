// Starts, seeds, inspects and stops a local Space. Every process is recorded in state.json as soon as it
// is spawned, so `stop` can clean up after a start that failed half-way.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  APP_CLUSTER_ID, APP_CLUSTER_NAME, CONNECTOR_CLAIM_NAMESPACE, DEFAULT_BASE_PORT, DEFAULT_CLAIMS,
  DEFAULT_MCPS, DEFAULT_STATE_DIR, FIXTURES_DIR, MAX_MCPS, REPO_ROOT, SPACE_NAME, controlPlaneList, filesFor,
  gitOpsPorts, ingressPathFor, portsFor,
} from './layout.ts';
import {
  GIT_REPOSITORY, argoConfigObjects, argoPasswordHash, buildGitOpsBinaries, clearGitOpsPids, ensureGitOpsSecrets,
  ensureGitRepository, gitOpsCrds, gitOpsProcesses, gitOpsRunning, gitOpsState, issueArgoToken, startGitOps,
} from './gitops.ts';
import {
  buildCrossplane, claimFixtures, clearCrossplanePids, crossplaneCrds, crossplanePortList, crossplaneProcesses,
  crossplaneRunning, crossplaneState, startControlPlaneCrossplaneAgain, startCrossplane, stopControlPlaneCrossplane,
} from './crossplane.ts';
import { ensurePki, ensureTokens, writeTokenAuthFile } from './pki.ts';
import {
  READY_TIMEOUT_MS, assertPortsFree, isOurs, readyTimeoutFor, rssMiB, spawnDetached, stopProcess, waitReady,
} from './processes.ts';
import type { LocalCrossplane } from './crossplane.ts';
import type { GitOpsBins, LocalGitOps } from './gitops.ts';
import type { IngressConfig } from './ingress.ts';
import { KubeRequester, kubeconfigYaml, writeKubeconfig } from './kube.ts';
import type { KubeObject } from './kube.ts';
import { compileTemplate, loadFile, loadFixtures, parseRendered, readTemplate, render } from './fixtures.ts';
import type { FixtureVars } from './fixtures.ts';
import type { SpaceFiles } from './layout.ts';
import type { LocalSpaceTokens } from './pki.ts';
import type { LocalProcess, Log, ProcessEntry } from './processes.ts';
import { seedObjects } from './seed.ts';

/**
 * The shape of `state.json`, written by `local-space start`.
 * @public
 */
export interface LocalSpaceState {
  version: 1;
  stateDir: string;
  basePort: number;
  binDir: string;
  startedAt: string;
  /** PEM CA that signed every serving certificate (API servers and ingress). */
  caFile: string;
  tokensFile: string;
  /** app-config fragment pointing the example app at this Space. */
  appConfigPath: string;
  spaceName: string;
  etcd: { url: string; port: number; pid: number | null };
  hub: { url: string; port: number; etcdPrefix: string; kubeconfigPath: string; pid: number | null };
  /** The Space ingress; `host` is what ConfigMap upbound-system/ingress-public holds. */
  ingress: { url: string; host: string; port: number; pid: number | null };
  appCluster: {
    name: string;
    clusterId: string;
    url: string;
    port: number;
    etcdPrefix: string;
    kubeconfigPath: string;
    pid: number | null;
  };
  controlPlanes: LocalControlPlane[];
  /** The real GitOps engines working against the app cluster (absent or `enabled: false` with --no-gitops). */
  gitops?: LocalGitOps;
  /** Crossplane, its function and provider-nop (absent or `enabled: false` with --no-crossplane or --claims). */
  crossplane?: LocalCrossplane;
  seed: { claimsPerControlPlane: number; objects: number; durationMs: number };
  timings: { apiserversReadyMs?: number; crossplaneReadyMs?: number; gitopsReadyMs?: number; startMs?: number };
  /** Set by `stop`. */
  stoppedAt?: string;
}

/**
 * One process of the local Space, as `local-space status` lists it.
 * @public
 */
export interface LocalSpaceProcess extends ProcessEntry {
  /** True when the pid runs and is this Space's process. */
  running: boolean;
  /** Resident memory while it runs. */
  rssMiB?: number;
}

/**
 * One control plane of the local Space.
 * @public
 */
export interface LocalControlPlane {
  name: string;
  group: string;
  /** False for the control plane that is never ready, and after stopMcp. */
  running: boolean;
  ready: boolean;
  /** Direct API server URL; null for a control plane without API server. */
  url: string | null;
  port: number | null;
  etcdPrefix: string | null;
  /** `https://<ingress>/apis/spaces.upbound.io/v1beta1/namespaces/<group>/controlplanes/<name>/k8s` */
  ingressUrl: string;
  /** Admin kubeconfig for the API server itself. */
  kubeconfigPath: string | null;
  /** Kubeconfig through the ingress with this control plane's ingress token. */
  ingressKubeconfigPath: string;
  /** Its kube-controller-manager (garbage collector and namespace controller only); null without API server. */
  controllerManager?: LocalProcess | null;
  /** Namespace where the MCP Connector stores the app cluster's claims (first control plane only). */
  connectorClaimNamespace: string | null;
  pid: number | null;
}

/** Options of `start`, as the CLI passes them (numbers may be strings). */
export interface StartOptions {
  stateDir?: string;
  basePort?: number | string;
  mcps?: number | string;
  claims?: number | string;
  fresh?: boolean;
  gitops?: boolean;
  crossplane?: boolean;
  log?: Log;
}

const noop: Log = () => {};

/** Normalised options with defaults. */
export function resolveOptions(options: StartOptions = {}) {
  const mcps = Number(options.mcps ?? DEFAULT_MCPS);
  if (!Number.isInteger(mcps) || mcps < 1 || mcps > MAX_MCPS) {
    throw new Error(`--mcps must be an integer from 1 to ${MAX_MCPS}, got ${options.mcps}`);
  }
  const claims = Number(options.claims ?? DEFAULT_CLAIMS);
  if (!Number.isInteger(claims) || claims < 0) throw new Error(`--claims must be a non-negative integer, got ${options.claims}`);
  const basePort = Number(options.basePort ?? DEFAULT_BASE_PORT);
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + 100 > 65535) {
    throw new Error(`--base-port must leave room for 100 ports, got ${options.basePort}`);
  }
  return {
    stateDir: path.resolve(options.stateDir ?? DEFAULT_STATE_DIR),
    basePort,
    mcps,
    claims,
    fresh: Boolean(options.fresh),
    // The real GitOps engines (Git server, Flux, Argo CD); off only for fast unit work.
    gitops: options.gitops !== false,
    // Real Crossplane, function and provider-nop; bulk claims (--claims) are seeded with their status instead.
    crossplane: options.crossplane !== false && claims === 0,
    log: options.log ?? noop,
  };
}

export function readState(stateDir: string): LocalSpaceState | undefined {
  const file = filesFor(stateDir).stateFile;
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeState(state: LocalSpaceState): void {
  const file = filesFor(state.stateDir).stateFile;
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

/** Runs tools/kube/build.sh (progress on stderr) and returns the bin dir it prints. */
export function buildBinaries(log = noop): Promise<string> {
  const script = path.join(REPO_ROOT, 'tools/kube/build.sh');
  return new Promise((resolve, reject) => {
    const child = execFile(script, { cwd: REPO_ROOT, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) reject(new Error(`building kube-apiserver and etcd failed (${script}): ${err.message}`));
      else resolve(stdout.trim().split('\n').pop() ?? '');
    });
    child.stderr?.on('data', d => log(String(d).trimEnd()));
  });
}

/** Every process recorded in `state`, with a label; the GitOps engines first, so they stop first. */
function processesOf(state: LocalSpaceState): ProcessEntry[] {
  const list = [...gitOpsProcesses(state), ...crossplaneProcesses(state)];
  if (state.ingress?.pid) list.push({ label: 'ingress', pid: state.ingress.pid, port: state.ingress.port });
  for (const cp of state.controlPlanes ?? []) {
    if (cp.pid) list.push({ label: `mcp ${cp.group}/${cp.name}`, pid: cp.pid, port: cp.port });
    if (cp.controllerManager?.pid) {
      list.push({ label: `mcp ${cp.group}/${cp.name} controller-manager`, pid: cp.controllerManager.pid, port: cp.controllerManager.port });
    }
  }
  if (state.appCluster?.pid) list.push({ label: `app cluster ${state.appCluster.name}`, pid: state.appCluster.pid, port: state.appCluster.port });
  if (state.hub?.pid) list.push({ label: 'hub', pid: state.hub.pid, port: state.hub.port });
  if (state.etcd?.pid) list.push({ label: 'etcd', pid: state.etcd.pid, port: state.etcd.port });
  return list;
}

/** True when the core of the Space in `stateDir` runs: etcd, hub, app cluster and ingress. */
export function isRunning(stateDir: string): boolean {
  const state = readState(stateDir);
  if (!state) return false;
  const core = [state.etcd, state.hub, state.appCluster, state.ingress].every(p => p?.pid && isOurs(p.pid, state.stateDir));
  return core && (!state.gitops?.enabled || gitOpsRunning(state)) && crossplaneRunning(state);
}

/** What starting a control plane's or cluster's processes needs. */
interface StartContext {
  files: SpaceFiles;
  binDir: string;
  state: LocalSpaceState;
  /** How long each process may take to become ready: many booting at once share the same cores. */
  readyTimeoutMs: number;
}

/** One kube-apiserver to start, and the state record its pid goes into. */
interface ApiServer {
  name: string;
  port: number;
  etcdPrefix: string;
  token: string;
  record: { pid: number | null };
}

function apiserverArgs({ files, binDir, state, name, port, etcdPrefix, tokenFile }: Omit<StartContext, 'readyTimeoutMs'> & Omit<ApiServer, 'token' | 'record'> & { tokenFile: string }): [string, string[]] {
  return [
    path.join(binDir, 'kube-apiserver'),
    [
      `--etcd-servers=${state.etcd.url}`,
      `--etcd-prefix=${etcdPrefix}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--cert-dir=${path.join(state.stateDir, 'apiservers', name)}`,
      `--tls-cert-file=${files.servingCert}`,
      `--tls-private-key-file=${files.servingKey}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      '--disable-admission-plugins=ServiceAccount',
      `--service-account-issuer=https://127.0.0.1:${port}`,
      `--service-account-key-file=${files.saKey}`,
      `--service-account-signing-key-file=${files.saKey}`,
      // Seeded Events must outlive the default one hour.
      '--event-ttl=720h',
    ],
  ];
}

async function startApiserver(ctx: StartContext, server: ApiServer): Promise<void> {
  const { files, binDir, state } = ctx;
  const tokenFile = path.join(files.authDir, `${server.name}.tokens.csv`);
  writeTokenAuthFile(tokenFile, server.token);
  const [cmd, args] = apiserverArgs({ files, binDir, state, name: server.name, port: server.port, etcdPrefix: server.etcdPrefix, tokenFile });
  const logFile = path.join(files.logsDir, `${server.name}.log`);
  const pid = spawnDetached(cmd, args, logFile);
  server.record.pid = pid;
  writeState(state);
  await waitReady({ name: `kube-apiserver ${server.name}`, url: `https://127.0.0.1:${server.port}/readyz`, ca: fs.readFileSync(files.caFile), pid, logFile, timeoutMs: ctx.readyTimeoutMs });
}

function controlPlaneKey(cp: { group: string; name: string }): string {
  return `${cp.group}/${cp.name}`;
}

/**
 * A control plane's kube-controller-manager with only the garbage collector and the namespace controller: what
 * foreground deletion (Argo CD's prune), ownerReference cascades and namespace deletion need of a real cluster.
 */
async function startControllerManager({ files, binDir, state, readyTimeoutMs }: StartContext, cp: LocalControlPlane): Promise<void> {
  if (!cp.controllerManager || !cp.kubeconfigPath) throw new Error(`control plane ${controlPlaneKey(cp)} has no API server`);
  const manager = cp.controllerManager;
  const name = `mcp-${cp.group}-${cp.name}`;
  const certDir = path.join(state.stateDir, 'controller-managers', name);
  fs.mkdirSync(certDir, { recursive: true });
  const logFile = path.join(files.logsDir, `${name}.controller-manager.log`);
  const pid = spawnDetached(path.join(binDir, 'kube-controller-manager'), [
    `--kubeconfig=${cp.kubeconfigPath}`,
    '--controllers=garbage-collector-controller,namespace-controller',
    '--leader-elect=false',
    '--use-service-account-credentials=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${manager.port}`,
    `--cert-dir=${certDir}`,
    `--tls-cert-file=${files.servingCert}`,
    `--tls-private-key-file=${files.servingKey}`,
    '--authentication-skip-lookup',
    '--v=1',
  ], logFile);
  manager.pid = pid;
  writeState(state);
  await waitReady({ name: `kube-controller-manager ${name}`, url: `https://127.0.0.1:${manager.port}/healthz`, ca: fs.readFileSync(files.caFile), pid, logFile, timeoutMs: readyTimeoutMs });
}

function serverFor(cp: LocalControlPlane, tokens: LocalSpaceTokens): ApiServer {
  if (cp.port === null || cp.etcdPrefix === null) throw new Error(`control plane ${controlPlaneKey(cp)} has no API server`);
  return {
    name: `mcp-${cp.group}-${cp.name}`,
    port: cp.port,
    etcdPrefix: cp.etcdPrefix,
    token: tokens.controlPlanes[controlPlaneKey(cp)].admin,
    record: cp,
  };
}

/**
 * Starts the Space (or returns the running one). Returns the state written to state.json.
 */
export async function startSpace(rawOptions: StartOptions): Promise<LocalSpaceState> {
  const opts = resolveOptions(rawOptions);
  const { stateDir, log } = opts;
  const t0 = Date.now();
  const existing = readState(stateDir);
  if (existing && isRunning(stateDir)) {
    log(`local Space already running (state ${filesFor(stateDir).stateFile})`);
    return existing;
  }
  if (existing) await stopSpace({ stateDir, log });

  log('>> kube binaries');
  const binDir = await buildBinaries(log);
  let gitopsBins: GitOpsBins | undefined;
  if (opts.gitops) {
    log('>> Flux and Argo CD binaries');
    gitopsBins = await buildGitOpsBinaries(log);
  }
  log(opts.crossplane ? '>> Crossplane binaries' : '>> Crossplane CRDs (Crossplane does not run)');
  const crossplaneBuild = await buildCrossplane({ crdsOnly: !opts.crossplane, log });
  const files = filesFor(stateDir);
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  if (opts.fresh) fs.rmSync(files.etcdDataDir, { recursive: true, force: true });
  for (const d of [files.logsDir, files.kubeconfigsDir, files.authDir]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  ensurePki(files);

  const ports = portsFor(opts.basePort);
  const list = controlPlaneList(opts.mcps);
  await assertPortsFree([ports.etcd, ports.etcdPeer, ports.hub, ports.ingress, ports.app,
    ...list.filter(cp => cp.running).flatMap(cp => [ports.controlPlane(cp.index), ports.controllerManager(cp.index)]),
    ...(opts.gitops ? gitOpsPorts(ports) : []),
    ...(opts.crossplane ? crossplanePortList(opts.basePort, list) : [])]);
  const tokens = ensureTokens(files.tokensFile, list);
  const caPem = fs.readFileSync(files.caFile, 'utf8');
  const ingressUrl = `https://127.0.0.1:${ports.ingress}`;
  const kc = (name: string) => path.join(files.kubeconfigsDir, `${name}.kubeconfig`);
  const controlPlanes: LocalControlPlane[] = list.map(cp => ({
    name: cp.name,
    group: cp.group,
    running: cp.running,
    ready: cp.running,
    url: cp.running ? `https://127.0.0.1:${ports.controlPlane(cp.index)}` : null,
    port: cp.running ? ports.controlPlane(cp.index) : null,
    etcdPrefix: cp.running ? `/mcp/${cp.group}/${cp.name}` : null,
    ingressUrl: `${ingressUrl}${ingressPathFor(cp.group, cp.name)}`,
    kubeconfigPath: cp.running ? kc(`mcp-${cp.group}-${cp.name}`) : null,
    ingressKubeconfigPath: kc(`mcp-${cp.group}-${cp.name}.ingress`),
    connectorClaimNamespace: cp.index === 0 ? CONNECTOR_CLAIM_NAMESPACE : null,
    pid: null,
    controllerManager: cp.running ? { port: ports.controllerManager(cp.index), pid: null } : null,
  }));
  const gitops: LocalGitOps = gitOpsState(stateDir, ports, opts.gitops, gitopsBins);
  const crossplane: LocalCrossplane = crossplaneState({ basePort: opts.basePort, controlPlanes }, { enabled: opts.crossplane, ...crossplaneBuild });
  const state: LocalSpaceState = {
    version: 1,
    stateDir,
    basePort: opts.basePort,
    binDir,
    startedAt: new Date().toISOString(),
    caFile: files.caFile,
    tokensFile: files.tokensFile,
    appConfigPath: files.appConfig,
    spaceName: SPACE_NAME,
    etcd: { url: `http://127.0.0.1:${ports.etcd}`, port: ports.etcd, pid: null },
    hub: { url: `https://127.0.0.1:${ports.hub}`, port: ports.hub, etcdPrefix: '/hub', kubeconfigPath: kc('hub'), pid: null },
    ingress: { url: ingressUrl, host: `127.0.0.1:${ports.ingress}`, port: ports.ingress, pid: null },
    appCluster: {
      name: APP_CLUSTER_NAME, clusterId: APP_CLUSTER_ID, url: `https://127.0.0.1:${ports.app}`, port: ports.app,
      etcdPrefix: `/${APP_CLUSTER_NAME}`, kubeconfigPath: kc(APP_CLUSTER_NAME), pid: null,
    },
    controlPlanes,
    gitops,
    seed: { claimsPerControlPlane: opts.claims, objects: 0, durationMs: 0 },
    timings: {},
    crossplane,
  };
  writeState(state);

  writeKubeconfig(state.hub.kubeconfigPath, { name: 'hub', server: state.hub.url, caFile: files.caFile, token: tokens.hub });
  writeKubeconfig(state.appCluster.kubeconfigPath, { name: APP_CLUSTER_NAME, server: state.appCluster.url, caFile: files.caFile, token: tokens.app });
  for (const cp of state.controlPlanes) {
    const t = tokens.controlPlanes[controlPlaneKey(cp)];
    if (cp.kubeconfigPath && cp.url) writeKubeconfig(cp.kubeconfigPath, { name: cp.name, server: cp.url, caFile: files.caFile, token: t.admin });
    writeKubeconfig(cp.ingressKubeconfigPath, { name: 'upbound', server: cp.ingressUrl, caFile: files.caFile, token: t.ingress, namespace: 'default' });
  }

  try {
    log(`>> etcd on ${state.etcd.url}`);
    const etcdLog = path.join(files.logsDir, 'etcd.log');
    state.etcd.pid = spawnDetached(path.join(binDir, 'etcd'), [
      '--name=local-space',
      `--data-dir=${files.etcdDataDir}`,
      `--listen-client-urls=${state.etcd.url}`,
      `--advertise-client-urls=${state.etcd.url}`,
      `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-cluster=local-space=http://127.0.0.1:${ports.etcdPeer}`,
      '--unsafe-no-fsync',
      '--quota-backend-bytes=8589934592',
      '--log-level=warn',
    ], etcdLog);
    writeState(state);
    await waitReady({ name: 'etcd', url: `${state.etcd.url}/health`, pid: state.etcd.pid, logFile: etcdLog });

    const servers = [
      { name: 'hub', port: ports.hub, etcdPrefix: '/hub', token: tokens.hub, record: state.hub },
      { name: APP_CLUSTER_NAME, port: ports.app, etcdPrefix: state.appCluster.etcdPrefix, token: tokens.app, record: state.appCluster },
      ...state.controlPlanes.filter(cp => cp.running).map(cp => serverFor(cp, tokens)),
    ];
    const ctx = { files, binDir, state, readyTimeoutMs: readyTimeoutFor(servers.length) };
    log(`>> ${servers.length} kube-apiservers: ${servers.map(s => `${s.name}:${s.port}`).join(', ')}`);
    await Promise.all(servers.map(s => startApiserver(ctx, s)));
    state.timings.apiserversReadyMs = Date.now() - t0;
    log('>> kube-controller-manager (garbage collector, namespace controller) per control plane');
    await Promise.all(state.controlPlanes.filter(cp => cp.running).map(cp => startControllerManager(ctx, cp)));

    log(`>> ingress on ${ingressUrl}`);
    const routesFile = path.join(files.authDir, 'ingress-routes.json');
    const routes: IngressConfig = {
      port: ports.ingress, certFile: files.servingCert, keyFile: files.servingKey, caFile: files.caFile,
      routes: {
        hub: { url: state.hub.url, token: tokens.hub },
        controlPlanes: Object.fromEntries(state.controlPlanes.map(cp => {
          const t = tokens.controlPlanes[controlPlaneKey(cp)];
          return [controlPlaneKey(cp), { url: cp.url, adminToken: t.admin, ingressToken: t.ingress }];
        })),
      },
    };
    fs.writeFileSync(routesFile, JSON.stringify(routes, null, 2), { mode: 0o600 });
    const ingressLog = path.join(files.logsDir, 'ingress.log');
    state.ingress.pid = spawnDetached(process.execPath, [path.join(REPO_ROOT, 'packages/local-space/bin/ingress-proxy.ts'), '--routes', routesFile], ingressLog);
    writeState(state);
    await waitReady({ name: 'ingress', url: `${ingressUrl}/healthz`, ca: caPem, pid: state.ingress.pid, logFile: ingressLog });

    if (gitops.enabled) ensureGitRepository(gitops.git.root, gitRepositoryVars(state));
    await seedSpace(state, { claims: opts.claims, log });
    if (crossplane.enabled) {
      await startCrossplane(state, { files, save: () => writeState(state), log });
      state.timings.crossplaneReadyMs = Date.now() - t0;
    }
    if (gitops.enabled && gitopsBins) {
      await startGitOps(state, { files, ports, bins: gitopsBins, save: () => writeState(state), log });
      const argo = ensureGitOpsSecrets(files.tokensFile);
      const token = await issueArgoToken(gitops.argocd.url, argo.adminPassword);
      saveTokens(files.tokensFile, t => ({ ...t, argocd: { ...argo, ...t.argocd, apiToken: token } }));
      state.timings.gitopsReadyMs = Date.now() - t0;
    }
    writeAppConfig(state);
    state.timings.startMs = Date.now() - t0;
    writeState(state);
    log(`>> local Space ready in ${(state.timings.startMs / 1000).toFixed(1)} s; app config: ${state.appConfigPath}`);
    return state;
  } catch (e) {
    log(`!! start failed, stopping what was started: ${e instanceof Error ? e.message : e}`);
    await stopSpace({ stateDir, log: noop });
    throw e;
  }
}

/** Control planes the seeded GitOps objects deliver to: Argo CD into the first, Flux into the second. */
function gitOpsTargets(state: LocalSpaceState): { argo: LocalControlPlane; flux: LocalControlPlane } {
  const running = state.controlPlanes.filter(cp => cp.running || cp.port);
  return { argo: running[0], flux: running[1] ?? running[0] };
}

function gitRepositoryVars(state: LocalSpaceState): FixtureVars {
  const { argo, flux } = gitOpsTargets(state);
  return { argoControlPlane: argo.name, fluxControlPlane: flux.name };
}

function saveTokens(tokensFile: string, update: (tokens: LocalSpaceTokens) => LocalSpaceTokens): void {
  const tokens = update(JSON.parse(fs.readFileSync(tokensFile, 'utf8')));
  fs.writeFileSync(tokensFile, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
}

/**
 * The app cluster's objects: fixtures, and with the real engines their own CRDs (replacing the hand-written ones
 * of the same name) and Argo CD's base config from its module with the fixtures' data merged over it.
 */
function appClusterObjects(state: LocalSpaceState, vars: FixtureVars): KubeObject[] {
  let objects = loadFixtures('app-cluster/crds', vars).concat(loadFixtures('app-cluster/objects', vars));
  const bins = state.gitops?.enabled ? state.gitops.bins : null;
  if (!bins) return objects;
  const argo = ensureGitOpsSecrets(state.tokensFile);
  const gitopsVars = { ...vars, argoAdminPasswordHash: argoPasswordHash(bins, argo.adminPassword), argoServerSecretKey: argo.serverSecretKey };
  objects = objects.concat(loadFixtures('app-cluster/gitops', gitopsVars));
  const real = gitOpsCrds(bins);
  const realNames = new Set(real.map(c => c.metadata.name));
  objects = [...real, ...objects.filter(o => !(o.kind === 'CustomResourceDefinition' && realNames.has(o.metadata.name)))];
  const isConfig = (o: KubeObject) => o.metadata?.namespace === 'argocd' && (o.kind === 'ConfigMap' || o.kind === 'Secret');
  const { merged, unmatched } = argoConfigObjects(bins, objects.filter(isConfig));
  return [...objects.filter(o => !isConfig(o)), ...merged, ...unmatched];
}

function argoConfigJson(caPem: string, token: string): string {
  const config = { bearerToken: token, tlsClientConfig: { insecure: false, caData: Buffer.from(caPem).toString('base64') } };
  return JSON.stringify(JSON.stringify(config));
}

/** Applies the fixtures (and `claims` generated claims per control plane) to every API server. */
export async function seedSpace(
  state: LocalSpaceState,
  { claims = state.seed?.claimsPerControlPlane ?? 0, log = noop }: { claims?: number; log?: Log } = {},
): Promise<LocalSpaceState['seed']> {
  const t0 = Date.now();
  const tokens: LocalSpaceTokens = JSON.parse(fs.readFileSync(state.tokensFile, 'utf8'));
  const caPem = fs.readFileSync(state.caFile, 'utf8');
  const running = state.controlPlanes.filter(cp => cp.running);
  const { argo: connected, flux: fluxTarget } = gitOpsTargets(state);
  const common = { clusterId: state.appCluster.clusterId, claimNamespace: CONNECTOR_CLAIM_NAMESPACE, ingressHost: state.ingress.host };

  const hubObjects = loadFixtures('hub/crds', common).concat(loadFixtures('hub/objects', { ...common, ingressCaJson: JSON.stringify(caPem) }));
  for (const [i, cp] of state.controlPlanes.entries()) {
    const t = tokens.controlPlanes[controlPlaneKey(cp)];
    const vars = {
      ...common, name: cp.name, group: cp.group,
      owner: cp.group === 'team-a' ? 'group:default/team-a' : 'group:default/platform',
      controlPlaneId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      kubeconfigB64: Buffer.from(kubeconfigYaml({ name: 'upbound', server: cp.ingressUrl, caPem, token: t.ingress, namespace: 'default' })).toString('base64'),
    };
    const template = cp.running ? 'hub/templates/controlplane-ready.yaml' : 'hub/templates/controlplane-not-ready.yaml';
    hubObjects.push(...parseRendered(render(readTemplate(template), vars, template), template));
  }

  const argoToken = tokens.controlPlanes[controlPlaneKey(connected)].ingress;
  const fluxToken = tokens.controlPlanes[controlPlaneKey(fluxTarget)].ingress;
  const appVars = {
    ...common,
    connectorControlPlane: connected.name, connectorGroup: connected.group,
    argoControlPlane: connected.name, argoGroup: connected.group, argoServer: connected.ingressUrl,
    argoClusterConfigJson: argoConfigJson(caPem, argoToken),
    appClusterName: state.appCluster.name, appClusterServer: state.appCluster.url,
    appClusterConfigJson: argoConfigJson(caPem, tokens.app),
    fluxControlPlane: fluxTarget.name, fluxGroup: fluxTarget.group,
    fluxKubeconfigJson: JSON.stringify(kubeconfigYaml({ name: fluxTarget.name, server: fluxTarget.ingressUrl, caPem, token: fluxToken, namespace: 'default' })),
    gitUrl: state.gitops?.git.repositoryUrl ?? `https://127.0.0.1:${portsFor(state.basePort).git}/${GIT_REPOSITORY}.git`,
    caPemJson: JSON.stringify(caPem),
  };
  const appObjects = appClusterObjects(state, appVars);

  const bulkTemplate = readTemplate('mcp/bulk/claim.yaml');
  const mcpObjects = (cp: LocalControlPlane) => {
    const vars = { ...common, controlPlane: cp.name, group: cp.group };
    const objs = [...crossplaneCrds(state), ...loadFixtures('mcp/objects', vars)];
    // With Crossplane, claims wait until it serves their types (startCrossplane); without, its CRDs are seeded.
    if (!state.crossplane?.enabled) objs.push(...loadFixtures('mcp/without-crossplane', vars), ...claimFixtures(cp, vars));
    if (claims > 0) {
      objs.push(...loadFile(path.join(FIXTURES_DIR, 'mcp/bulk/00-namespace.yaml'), vars));
      const claimObjects = compileTemplate(bulkTemplate, vars, ['i', 'ready', 'readyReason', 'synced', 'syncedReason', 'syncedMessage'], 'mcp/bulk/claim.yaml');
      for (let i = 0; i < claims; i++) {
        const failing = i % 10 === 9;
        const v = {
          i: String(i + 1).padStart(4, '0'),
          ready: failing ? 'False' : 'True', readyReason: failing ? 'Creating' : 'Available',
          synced: failing ? 'False' : 'True', syncedReason: failing ? 'ReconcileError' : 'ReconcileSuccess',
          syncedMessage: failing ? 'create failed: operation error RDS: CreateDBInstance, https response error StatusCode: 400, api error StorageQuotaExceeded: Cannot create more than 100000 GB of storage' : '',
        };
        objs.push(...claimObjects(v));
      }
    }
    return objs;
  };

  const targets = [
    { label: 'hub', kubeconfig: state.hub.kubeconfigPath, objects: () => hubObjects },
    { label: `app cluster ${state.appCluster.name}`, kubeconfig: state.appCluster.kubeconfigPath, objects: () => appObjects },
    ...running.map(cp => ({ label: `mcp ${controlPlaneKey(cp)}`, kubeconfig: cp.kubeconfigPath!, objects: () => mcpObjects(cp) })),
  ];
  // Two cores are shared by all API servers: bound the total number of requests in flight.
  const perServer = Math.max(4, Math.floor(64 / targets.length));
  let total = 0;
  await Promise.all(targets.map(async target => {
    const kube = await KubeRequester.fromFile(target.kubeconfig, { maxSockets: perServer });
    try {
      const objs = target.objects();
      const n = await seedObjects(kube, objs, { concurrency: perServer });
      total += n;
      log(`   seeded ${target.label}: ${n} objects`);
    } finally {
      kube.close();
    }
  }));
  state.seed = { claimsPerControlPlane: claims, objects: total, durationMs: Date.now() - t0 };
  log(`>> seeded ${total} objects in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return state.seed;
}

function argoApiToken(state: LocalSpaceState): string {
  const tokens: LocalSpaceTokens = JSON.parse(fs.readFileSync(state.tokensFile, 'utf8'));
  const token = tokens.argocd?.apiToken;
  if (!token) throw new Error(`no Argo CD API token in ${state.tokensFile}; start the Space again`);
  return token;
}

/** The app-config fragment that points the example app at this Space (see app-config.yaml `upbound`). */
export function writeAppConfig(state: LocalSpaceState): void {
  const config = {
    upbound: {
      spaces: [{ name: state.spaceName, enabled: true, hub: { kubeconfigPath: state.hub.kubeconfigPath } }],
      appClusters: [{
        name: state.appCluster.name,
        title: 'Local app cluster',
        clusterId: state.appCluster.clusterId,
        kubeconfigPath: state.appCluster.kubeconfigPath,
      }],
      argocd: [{
        name: 'local', appCluster: state.appCluster.name, namespace: 'argocd',
        ...(state.gitops?.enabled
          ? { url: state.gitops.argocd.url, token: argoApiToken(state), appClusterServer: state.appCluster.url }
          : {}),
      }],
      flux: [{ name: 'local', appCluster: state.appCluster.name, namespace: 'flux-system' }],
      // Development only: templates run without a credential get the Space's own token.
      dangerouslyUseServiceCredential: true,
    },
  };
  fs.writeFileSync(state.appConfigPath, `# Written by local-space start; points the app at the local Space.\n${stringify(config)}`);
}

/** Stops every process of the Space in `stateDir`. Safe to run twice; keeps the data. */
export async function stopSpace({ stateDir = DEFAULT_STATE_DIR, log = noop }: { stateDir?: string; log?: Log } = {}): Promise<void> {
  const dir = path.resolve(stateDir);
  const state = readState(dir);
  if (!state) {
    log(`no local Space state in ${dir}`);
    return;
  }
  // GitOps engines and Crossplane first (they call the API servers), then ingress and API servers, etcd last.
  const procs = processesOf(state);
  const engines = [...gitOpsProcesses(state), ...crossplaneProcesses(state)];
  await Promise.all(engines.map(async p => {
    if (await stopProcess(p.pid, dir)) log(`stopped ${p.label} (pid ${p.pid})`);
  }));
  const enginePids = new Set(engines.map(p => p.pid));
  const front = procs.filter(p => p.label !== 'etcd' && !enginePids.has(p.pid));
  await Promise.all(front.map(async p => {
    if (await stopProcess(p.pid, dir)) log(`stopped ${p.label} (pid ${p.pid})`);
  }));
  for (const p of procs.filter(x => x.label === 'etcd')) {
    if (await stopProcess(p.pid, dir)) log(`stopped ${p.label} (pid ${p.pid})`);
  }
  state.etcd.pid = null;
  if (state.hub) state.hub.pid = null;
  if (state.ingress) state.ingress.pid = null;
  if (state.appCluster) state.appCluster.pid = null;
  for (const cp of state.controlPlanes ?? []) {
    cp.pid = null;
    if (cp.controllerManager) cp.controllerManager.pid = null;
  }
  clearGitOpsPids(state);
  clearCrossplanePids(state);
  state.stoppedAt = new Date().toISOString();
  writeState(state);
}

function findControlPlane(state: LocalSpaceState, name: string): LocalControlPlane & { port: number; kubeconfigPath: string } {
  const matches = state.controlPlanes.filter(cp => cp.name === name || controlPlaneKey(cp) === name);
  if (matches.length !== 1) throw new Error(`unknown control plane ${name}; known: ${state.controlPlanes.map(controlPlaneKey).join(', ')}`);
  const [cp] = matches;
  if (!cp.port || !cp.kubeconfigPath) throw new Error(`control plane ${controlPlaneKey(cp)} has no API server in the local Space`);
  // The state's own record: callers update it and write the state.
  return cp as LocalControlPlane & { port: number; kubeconfigPath: string };
}

/** Stops one control plane's API server: the ingress then answers 503 for it. */
export async function stopControlPlane({ stateDir = DEFAULT_STATE_DIR, name, log = noop }: { stateDir?: string; name: string; log?: Log }): Promise<LocalSpaceState> {
  const dir = path.resolve(stateDir);
  const state = readState(dir);
  if (!state) throw new Error(`no local Space state in ${dir}`);
  const cp = findControlPlane(state, name);
  await stopControlPlaneCrossplane(state, cp);
  if (cp.pid) await stopProcess(cp.pid, dir);
  cp.pid = null;
  cp.running = false;
  writeState(state);
  log(`stopped control plane ${controlPlaneKey(cp)}`);
  return state;
}

/**
 * After a restart /readyz passes before each custom resource's storage is initialised (lists answer 429
 * "storage is (re)initializing"); wait until every CRD lists, so callers see a usable control plane.
 */
async function waitCustomResourcesServed(kubeconfigPath: string, timeoutMs = 30000): Promise<void> {
  const kube = await KubeRequester.fromFile(kubeconfigPath, { maxSockets: 8 });
  try {
    const crds = await kube.request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    const deadline = Date.now() + timeoutMs;
    await Promise.all(crds.items.map(async (crd: KubeObject) => {
      const version = crd.spec.versions.find((v: { storage: boolean }) => v.storage)?.name ?? crd.spec.versions[0].name;
      const listPath = `/apis/${crd.spec.group}/${version}/${crd.spec.names.plural}?limit=1`;
      for (;;) {
        const res = await kube.once('GET', listPath);
        if (res.status === 200) return;
        if (Date.now() > deadline) throw new Error(`${listPath} still answers ${res.status} after restart`);
        await new Promise(r => setTimeout(r, 200));
      }
    }));
  } finally {
    kube.close();
  }
}

/** Starts a control plane's API server again (its data is still in etcd). */
export async function startControlPlane({ stateDir = DEFAULT_STATE_DIR, name, log = noop }: { stateDir?: string; name: string; log?: Log }): Promise<LocalSpaceState> {
  const dir = path.resolve(stateDir);
  const state = readState(dir);
  if (!state) throw new Error(`no local Space state in ${dir}`);
  const cp = findControlPlane(state, name);
  if (cp.pid && isOurs(cp.pid, dir)) return state;
  const tokens = JSON.parse(fs.readFileSync(state.tokensFile, 'utf8'));
  await startApiserver({ files: filesFor(dir), binDir: state.binDir, state, readyTimeoutMs: READY_TIMEOUT_MS }, serverFor(cp, tokens));
  await waitCustomResourcesServed(cp.kubeconfigPath);
  cp.running = true;
  await startControlPlaneCrossplaneAgain(state, cp, { files: filesFor(dir), save: () => writeState(state), log });
  writeState(state);
  log(`started control plane ${controlPlaneKey(cp)}`);
  return state;
}

/** What runs: one row per process with port, pid, liveness and RSS. */
export function spaceStatus({ stateDir = DEFAULT_STATE_DIR }: { stateDir?: string } = {}): {
  state: LocalSpaceState | undefined;
  processes: LocalSpaceProcess[];
} {
  const dir = path.resolve(stateDir);
  const state = readState(dir);
  if (!state) return { state: undefined, processes: [] };
  const rows = processesOf(state).reverse().map(p => {
    const up = isOurs(p.pid, dir);
    return { ...p, running: up, rssMiB: up ? rssMiB(p.pid) : undefined };
  });
  return { state, processes: rows };
}
