// The GitOps side of the local Space: a Git server holding the platform-claims repository, Flux
// (source-controller + kustomize-controller) and Argo CD (Redis, repo-server, application controller and API
// server), all as local processes on 127.0.0.1 working against the app cluster's API server, with the engines'
// real CRDs. No engine behaviour is faked: every status on their objects is written by the engines.
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { LocalSpaceState } from './space.ts';
import { FIXTURES_DIR, REPO_ROOT } from './layout.ts';
import type { SpaceFiles, SpacePorts } from './layout.ts';
import { render } from './fixtures.ts';
import type { FixtureVars } from './fixtures.ts';
import type { KubeObject } from './kube.ts';
import type { LocalSpaceTokens } from './pki.ts';
import { isOurs, spawnDetached, waitReady, waitTcp } from './processes.ts';
import type { LocalProcess, Log, ProcessEntry } from './processes.ts';

/** Bin dirs of the engine builds (binaries, CRDs, manifests) and of the Helm CLI. */
export interface GitOpsBins {
  flux: string;
  argocd: string;
  helm: string;
}

/**
 * The Git server, Flux and Argo CD of the local Space.
 * @public
 */
export interface LocalGitOps {
  enabled: boolean;
  /** Bin dirs of the engine builds; null when the engines do not run. */
  bins: GitOpsBins | null;
  /** Git over HTTPS (the Space's CA); bare repositories under `root`. */
  git: LocalProcess & { url: string; repositoryUrl: string; root: string };
  flux: { namespace: string; sourceController: LocalProcess; kustomizeController: LocalProcess };
  argocd: {
    namespace: string;
    /** Argo CD API server (plain HTTP on loopback). */
    url: string;
    redis: LocalProcess;
    repoServer: LocalProcess;
    controller: LocalProcess;
    server: LocalProcess;
  };
}

const noop: Log = () => {};
export const GIT_REPOSITORY = 'platform-claims';
/** The Argo CD account the example app uses for the Sync button (get + sync on applications only). */
export const ARGO_ACCOUNT = 'backstage';

/** The GitOps part of state.json: where each engine listens (pids are filled in as they start). */
export function gitOpsState(stateDir: string, ports: SpacePorts, enabled: boolean, bins: GitOpsBins | undefined): LocalGitOps {
  const gitUrl = `https://127.0.0.1:${ports.git}`;
  return {
    enabled,
    bins: bins ?? null,
    git: { url: gitUrl, repositoryUrl: `${gitUrl}/${GIT_REPOSITORY}.git`, root: path.join(stateDir, 'gitops', 'git'), port: ports.git, pid: null },
    flux: { namespace: 'flux-system', sourceController: { pid: null, port: ports.fluxStorage }, kustomizeController: { pid: null, port: ports.fluxKustomizeHealth } },
    argocd: {
      namespace: 'argocd',
      url: `http://127.0.0.1:${ports.argoServer}`,
      redis: { pid: null, port: ports.redis },
      repoServer: { pid: null, port: ports.argoRepoServer },
      controller: { pid: null, port: ports.argoControllerMetrics },
      server: { pid: null, port: ports.argoServer },
    },
  };
}

/** Runs a tools/<name>/build.sh (cached; progress on stderr) and returns the bin dir it prints. */
function runBuild(name: string, log: Log): Promise<string> {
  const script = path.join(REPO_ROOT, 'tools', name, 'build.sh');
  return new Promise((resolve, reject) => {
    const child = execFile(script, { cwd: REPO_ROOT, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) reject(new Error(`building ${name} failed (${script}): ${err.message}`));
      else resolve(stdout.trim().split('\n').pop() ?? '');
    });
    child.stderr?.on('data', d => log(String(d).trimEnd()));
  });
}

/**
 * Builds (or finds cached) Flux, Argo CD and the Helm CLI Argo CD's repo-server runs for Helm sources; one after
 * the other, since two Go builds only fight for the cores.
 */
export async function buildGitOpsBinaries(log = noop): Promise<GitOpsBins> {
  const flux = await runBuild('flux', log);
  const argocd = await runBuild('argocd', log);
  const helm = await runBuild('helm', log);
  return { flux, argocd, helm };
}

function loadYamlFiles(files: string[]): KubeObject[] {
  return files.flatMap(f =>
    parseAllDocuments(fs.readFileSync(f, 'utf8'))
      .map(d => {
        if (d.errors.length) throw new Error(`${f}: ${d.errors[0].message}`);
        return d.toJS();
      })
      .filter(Boolean),
  );
}

function yamlIn(dir: string): string[] {
  return fs.readdirSync(dir).filter(f => /\.ya?ml$/.test(f)).sort().map(f => path.join(dir, f));
}

/** The engines' own CRDs, as shipped in their modules. */
export function gitOpsCrds(bins: GitOpsBins): KubeObject[] {
  return loadYamlFiles([...yamlIn(path.join(bins.flux, 'crds')), ...yamlIn(path.join(bins.argocd, 'manifests/crds'))]);
}

/**
 * Argo CD's base config objects from its module (argocd-cm, argocd-rbac-cm, argocd-secret, ...) with `overrides`
 * (objects of the same kind and name) merged over their data. Returns the merged objects and the overrides that
 * had no base object.
 */
export function argoConfigObjects(bins: GitOpsBins, overrides: KubeObject[]): { merged: KubeObject[]; unmatched: KubeObject[] } {
  // Only the objects; the folder's kustomization.yaml is kustomize's own file.
  const base = loadYamlFiles(yamlIn(path.join(bins.argocd, 'manifests/config')).filter(f => path.basename(f).startsWith('argocd-')));
  const byKey = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
  const rest = new Map(overrides.map(o => [byKey(o), o]));
  const merged = base.map(o => {
    const extra = rest.get(byKey(o));
    rest.delete(byKey(o));
    const obj: KubeObject = { ...o, metadata: { ...o.metadata, namespace: 'argocd', labels: { ...o.metadata.labels, ...extra?.metadata?.labels } } };
    for (const field of ['data', 'stringData']) {
      if (o[field] || extra?.[field]) obj[field] = { ...o[field], ...extra?.[field] };
    }
    if (extra?.type) obj.type = extra.type;
    return obj;
  });
  return { merged, unmatched: [...rest.values()] };
}

/** Secrets of the engines, made once and kept across restarts (tokens.json, mode 0600). */
export function ensureGitOpsSecrets(tokensFile: string): NonNullable<LocalSpaceTokens['argocd']> {
  const tokens: LocalSpaceTokens = JSON.parse(fs.readFileSync(tokensFile, 'utf8'));
  tokens.argocd ??= {
    adminPassword: crypto.randomBytes(18).toString('base64url'),
    serverSecretKey: crypto.randomBytes(32).toString('base64'),
  };
  fs.writeFileSync(tokensFile, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  return tokens.argocd;
}

/** bcrypt of the Argo CD admin password, made by Argo CD's own CLI. */
export function argoPasswordHash(bins: GitOpsBins, password: string): string {
  return execFileSync(path.join(bins.argocd, 'argocd'), ['account', 'bcrypt', '--password', password], {
    env: { ...process.env, ARGOCD_BINARY_NAME: 'argocd' },
  }).toString().trim();
}

function git(args: string[], options: { cwd?: string } = {}): string {
  return execFileSync('git', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_AUTHOR_NAME: 'Platform Team', GIT_AUTHOR_EMAIL: 'platform@example.com', GIT_COMMITTER_NAME: 'Platform Team', GIT_COMMITTER_EMAIL: 'platform@example.com' },
    ...options,
  }).toString().trim();
}

/**
 * Creates the bare platform-claims repository with its first commit (fixtures/git/platform-claims, rendered with
 * `vars`) unless it exists; a restart keeps what tests pushed. Returns the head commit.
 */
export function ensureGitRepository(gitRoot: string, vars: FixtureVars): string {
  const bare = path.join(gitRoot, `${GIT_REPOSITORY}.git`);
  if (!fs.existsSync(path.join(bare, 'HEAD'))) {
    fs.mkdirSync(gitRoot, { recursive: true });
    git(['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    git(['config', 'http.receivepack', 'true'], { cwd: bare });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-claims-'));
    try {
      const src = path.join(FIXTURES_DIR, 'git', GIT_REPOSITORY);
      const copy = (from: string, to: string) => {
        for (const e of fs.readdirSync(from, { withFileTypes: true })) {
          const a = path.join(from, e.name);
          const b = path.join(to, render(e.name, vars, a));
          if (e.isDirectory()) {
            fs.mkdirSync(b, { recursive: true });
            copy(a, b);
          } else {
            fs.writeFileSync(b, render(fs.readFileSync(a, 'utf8'), vars, path.relative(FIXTURES_DIR, a)));
          }
        }
      };
      copy(src, work);
      git(['init', '--quiet', '--initial-branch=main'], { cwd: work });
      git(['add', '.'], { cwd: work });
      git(['commit', '--quiet', '-m', 'Claims of the platform team'], { cwd: work });
      git(['push', '--quiet', bare, 'main'], { cwd: work });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return git(['rev-parse', 'main'], { cwd: bare });
}

/** A clean environment for the engines: no proxy or CA overrides from the caller's shell. */
function engineEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'LANG', 'TZ']) if (process.env[k]) env[k] = process.env[k];
  return { ...env, ...extra };
}

/**
 * Starts the Git server and both engines for the Space in `state`; records every pid in `state.gitops` through
 * `save` as soon as it is spawned, so stop can clean up after a start that failed half-way.
 */
export async function startGitOps(
  state: LocalSpaceState,
  { files, ports, bins, save, log = noop }: { files: SpaceFiles; ports: SpacePorts; bins: GitOpsBins; save: () => void; log?: Log },
): Promise<void> {
  const g = state.gitops;
  if (!g?.enabled) throw new Error('the GitOps engines are not enabled in this Space');
  const dir = path.join(state.stateDir, 'gitops');
  const logs = files.logsDir;
  const caPem = fs.readFileSync(files.caFile, 'utf8');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

  // Git server
  log(`>> Git server on ${g.git.url}`);
  const gitLog = path.join(logs, 'git-server.log');
  g.git.pid = spawnDetached(process.execPath, [
    path.join(REPO_ROOT, 'packages/local-space/bin/git-server.ts'),
    '--root', g.git.root, '--port', String(ports.git), '--cert', files.servingCert, '--key', files.servingKey,
  ], gitLog);
  save();
  await waitReady({ name: 'Git server', url: `${g.git.url}/healthz`, ca: caPem, pid: g.git.pid, logFile: gitLog });

  // Role symlinks in the state dir: Argo CD picks its role from the name it is called by, and `stop` recognises
  // our processes by the state dir in their command line.
  const binDir = path.join(dir, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  const link = (target: string, name: string) => {
    const p = path.join(binDir, name);
    fs.rmSync(p, { force: true });
    fs.symlinkSync(target, p);
    return p;
  };
  const kubeconfig = state.appCluster.kubeconfigPath;

  // Flux. source-controller's storage dir sits in a parent of its own: its garbage collection sweeps next to it.
  // No leader election: out of cluster, controller-runtime finds no namespace for the lease (it reads the
  // service account's namespace file), and one replica runs here.
  const storage = path.join(dir, 'flux-storage', 'artifacts');
  fs.mkdirSync(storage, { recursive: true });
  const fluxEnv = engineEnv({ KUBECONFIG: kubeconfig, RUNTIME_NAMESPACE: 'flux-system', HOME: dir });
  const flux: Array<{ key: 'sourceController' | 'kustomizeController'; label: string; cmd: string; args: string[]; health: string; port: number }> = [
    {
      key: 'sourceController', label: 'flux source-controller',
      cmd: link(path.join(bins.flux, 'source-controller'), 'source-controller'),
      args: [
        `--storage-path=${storage}`, `--storage-addr=127.0.0.1:${ports.fluxStorage}`,
        `--storage-adv-addr=127.0.0.1:${ports.fluxStorage}`, `--metrics-addr=127.0.0.1:${ports.fluxSourceMetrics}`,
        `--health-addr=127.0.0.1:${ports.fluxSourceHealth}`, '--log-level=info',
      ],
      health: `http://127.0.0.1:${ports.fluxSourceHealth}/readyz`,
      port: ports.fluxStorage,
    },
    {
      key: 'kustomizeController', label: 'flux kustomize-controller',
      cmd: link(path.join(bins.flux, 'kustomize-controller'), 'kustomize-controller'),
      args: [
        `--metrics-addr=127.0.0.1:${ports.fluxKustomizeMetrics}`, `--health-addr=127.0.0.1:${ports.fluxKustomizeHealth}`,
        '--log-level=info',
      ],
      health: `http://127.0.0.1:${ports.fluxKustomizeHealth}/readyz`,
      port: ports.fluxKustomizeHealth,
    },
  ];
  for (const p of flux) {
    log(`>> ${p.label}`);
    const logFile = path.join(logs, `${p.cmd.split('/').pop()}.log`);
    const proc = { pid: spawnDetached(p.cmd, p.args, logFile, fluxEnv), port: p.port };
    g.flux[p.key] = proc;
    save();
    await waitReady({ name: p.label, url: p.health, pid: proc.pid, logFile });
  }

  // Argo CD
  const argo = g.argocd;
  const argoDir = path.join(dir, 'argocd');
  const tlsDir = path.join(argoDir, 'tls');
  const tmpDir = path.join(argoDir, 'tmp');
  for (const d of [tlsDir, tmpDir, path.join(argoDir, 'ssh'), path.join(argoDir, 'gpg'), path.join(argoDir, 'static')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  // What Kubernetes would mount from argocd-tls-certs-cm: one PEM file per Git server host name.
  fs.writeFileSync(path.join(tlsDir, '127.0.0.1'), caPem);
  const argoEnv = engineEnv({
    // The repo-server runs `helm` from PATH for Helm sources, as in Argo CD's image.
    ...(bins.helm ? { PATH: [bins.helm, process.env.PATH].filter(Boolean).join(path.delimiter) } : {}),
    KUBECONFIG: kubeconfig, HOME: argoDir, TMPDIR: tmpDir, ARGOCD_GPG_ENABLED: 'false',
    ARGOCD_TLS_DATA_PATH: tlsDir, ARGOCD_SSH_DATA_PATH: path.join(argoDir, 'ssh'), ARGOCD_GNUPGHOME: path.join(argoDir, 'gpg'),
  });
  const redisAddr = `127.0.0.1:${ports.redis}`;
  const repoAddr = `127.0.0.1:${ports.argoRepoServer}`;

  log(`>> Argo CD: redis on ${redisAddr}`);
  const redisLog = path.join(logs, 'argocd-redis.log');
  argo.redis = {
    // set-proc-title no keeps the command line (and so the state dir in it) for `stop`.
    pid: spawnDetached('redis-server', ['--bind', '127.0.0.1', '--port', String(ports.redis), '--save', '', '--appendonly', 'no',
      '--dir', argoDir, '--set-proc-title', 'no', '--protected-mode', 'no'], redisLog, engineEnv({})),
    port: ports.redis,
  };
  save();
  await waitTcp({ name: 'redis', port: ports.redis, pid: argo.redis.pid, stateDir: state.stateDir, logFile: redisLog, send: 'PING\r\n', expect: '+PONG' });

  const argoProcs: Array<{ key: 'repoServer' | 'controller' | 'server'; role: string; args: string[]; health: string; port: number }> = [
    {
      key: 'repoServer', role: 'argocd-repo-server',
      args: ['--address', '127.0.0.1', '--port', String(ports.argoRepoServer), '--disable-tls', '--redis', redisAddr,
        '--metrics-address', '127.0.0.1', '--metrics-port', String(ports.argoRepoServerMetrics), '--loglevel', 'info'],
      health: `http://127.0.0.1:${ports.argoRepoServerMetrics}/healthz`,
      port: ports.argoRepoServer,
    },
    {
      key: 'controller', role: 'argocd-application-controller',
      args: ['--namespace', 'argocd', '--redis', redisAddr, '--repo-server', repoAddr, '--repo-server-plaintext',
        '--metrics-port', String(ports.argoControllerMetrics), '--status-processors', '4', '--operation-processors', '2',
        '--app-resync', '20', '--loglevel', 'info'],
      health: `http://127.0.0.1:${ports.argoControllerMetrics}/healthz`,
      port: ports.argoControllerMetrics,
    },
    {
      key: 'server', role: 'argocd-server',
      args: ['--insecure', '--address', '127.0.0.1', '--port', String(ports.argoServer), '--namespace', 'argocd',
        '--redis', redisAddr, '--repo-server', repoAddr, '--repo-server-plaintext', '--staticassets', path.join(argoDir, 'static'),
        '--metrics-address', '127.0.0.1', '--metrics-port', String(ports.argoServerMetrics), '--loglevel', 'info'],
      health: `http://127.0.0.1:${ports.argoServer}/healthz`,
      port: ports.argoServer,
    },
  ];
  for (const p of argoProcs) {
    log(`>> Argo CD: ${p.role}`);
    const logFile = path.join(logs, `${p.role}.log`);
    const proc = { pid: spawnDetached(link(path.join(bins.argocd, 'argocd'), p.role), p.args, logFile, argoEnv), port: p.port };
    argo[p.key] = proc;
    save();
    await waitReady({ name: p.role, url: p.health, pid: proc.pid, logFile, timeoutMs: 120000 });
  }
}

/** Logs in to Argo CD's API as admin and issues a token for the Sync-only account. */
export async function issueArgoToken(url: string, adminPassword: string): Promise<string> {
  const call = async (method: string, p: string, body: object, token?: string) => {
    const res = await fetch(`${url}${p}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Argo CD ${method} ${p} answered ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text);
  };
  const { token: admin } = await call('POST', '/api/v1/session', { username: 'admin', password: adminPassword });
  const { token } = await call('POST', `/api/v1/account/${ARGO_ACCOUNT}/token`, { name: 'backstage', expiresIn: 0 }, admin);
  return token;
}

/** Every GitOps process in `state`, with a label, for status and stop. */
export function gitOpsProcesses(state: LocalSpaceState): ProcessEntry[] {
  const g = state.gitops;
  if (!g) return [];
  const list: ProcessEntry[] = [];
  const add = (label: string, p: LocalProcess | undefined) => {
    if (p?.pid) list.push({ label, pid: p.pid, port: p.port });
  };
  add('git server', g.git);
  add('flux source-controller', g.flux?.sourceController);
  add('flux kustomize-controller', g.flux?.kustomizeController);
  add('argocd server', g.argocd?.server);
  add('argocd controller', g.argocd?.controller);
  add('argocd repo-server', g.argocd?.repoServer);
  add('argocd redis', g.argocd?.redis);
  return list;
}

/** Forgets the pids of `state.gitops` (after stop). */
export function clearGitOpsPids(state: LocalSpaceState): void {
  const g = state.gitops;
  if (!g) return;
  const procs: Array<LocalProcess | undefined> = [g.git, g.flux?.sourceController, g.flux?.kustomizeController,
    g.argocd?.redis, g.argocd?.repoServer, g.argocd?.controller, g.argocd?.server];
  for (const p of procs) if (p) p.pid = null;
}

/** True when every GitOps process of `state` runs. */
export function gitOpsRunning(state: LocalSpaceState): boolean {
  const procs = gitOpsProcesses(state);
  return procs.length === 7 && procs.every(p => isOurs(p.pid, state.stateDir));
}
