import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LocalSpaceTokens } from './lib/pki.ts';
import type { LocalControlPlane, LocalSpaceProcess, LocalSpaceState } from './lib/space.ts';

const run = promisify(execFile);

/** Environment variable naming the state.json of a running local Space to reuse. @public */
export const LOCAL_SPACE_STATE_ENV = 'UPBOUND_LOCAL_SPACE_STATE';
/** Set (to the reason) by the jest global setup when the binaries cannot be built. @public */
export const LOCAL_SPACE_UNAVAILABLE_ENV = 'UPBOUND_LOCAL_SPACE_UNAVAILABLE';

// This private package only ever runs from source (tests, dev), so __dirname is the source dir.
// eslint-disable-next-line no-restricted-syntax
const PACKAGE_DIR = path.resolve(__dirname, '..');
/** Path of the CLI. @public */
export const LOCAL_SPACE_CLI = path.join(PACKAGE_DIR, 'bin', 'local-space.ts');

/**
 * Options of {@link startLocalSpace}.
 * @public
 */
export interface StartLocalSpaceOptions {
  /** Defaults to `.local-space` at the repository root. */
  stateDir?: string;
  /** First port; the Space uses base..base+99 (below 32768, outside Linux's ephemeral range). Default 16440. */
  basePort?: number;
  /** Running control planes (one more, not ready, is always added). Default 2. */
  mcps?: number;
  /** Generated claims per control plane. Default 0. */
  claims?: number;
  /** Start from empty etcd data (a running Space in the state dir is stopped first). Default false. */
  fresh?: boolean;
  /** Start the Git server, Flux and Argo CD. Default true; false for suites that need no engine. */
  gitops?: boolean;
  /** Run Crossplane, its function and provider-nop. Default true (always false with `claims`). */
  crossplane?: boolean;
  /** Forward the CLI's progress to this function (default: discarded). */
  onProgress?: (line: string) => void;
}

/**
 * A running local Space.
 * @public
 */
export interface LocalSpace {
  readonly state: LocalSpaceState;
  readonly tokens: LocalSpaceTokens;
  /** PEM of the CA that signed every serving certificate. */
  readonly ca: string;
  /** True when this handle started the Space, so stop() ends it. */
  readonly owned: boolean;
  /** A control plane by `name` or `<group>/<name>`. */
  controlPlane(name: string): LocalControlPlane;
  /** Stops one control plane's API server; the ingress then answers 503 for it. */
  stopMcp(name: string): Promise<void>;
  /** Starts it again with its data. */
  startMcp(name: string): Promise<void>;
  /** Stops every process, if this handle started them; otherwise does nothing. */
  stop(): Promise<void>;
}

async function cli(args: string[], onProgress?: (line: string) => void): Promise<string> {
  const child = run(process.execPath, [LOCAL_SPACE_CLI, ...args], { maxBuffer: 16 << 20 });
  if (onProgress) {
    child.child.stderr?.on('data', d => String(d).trimEnd().split('\n').forEach(onProgress));
  }
  try {
    const { stdout } = await child;
    return stdout;
  } catch (e: any) {
    throw new Error(`local-space ${args[0]} failed: ${e.stderr?.trim() || e.message}`);
  }
}

class LocalSpaceHandle implements LocalSpace {
  state: LocalSpaceState;
  readonly tokens: LocalSpaceTokens;
  readonly ca: string;

  constructor(
    private readonly stateFile: string,
    readonly owned: boolean,
  ) {
    this.state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    this.tokens = JSON.parse(fs.readFileSync(this.state.tokensFile, 'utf8'));
    this.ca = fs.readFileSync(this.state.caFile, 'utf8');
  }

  private reload() {
    this.state = JSON.parse(fs.readFileSync(this.stateFile, 'utf8'));
  }

  controlPlane(name: string): LocalControlPlane {
    const cp = this.state.controlPlanes.find(c => c.name === name || `${c.group}/${c.name}` === name);
    if (!cp) throw new Error(`no control plane ${name} in the local Space`);
    return cp;
  }

  async stopMcp(name: string) {
    await cli(['stop-mcp', name, '--state-dir', this.state.stateDir]);
    this.reload();
  }

  async startMcp(name: string) {
    await cli(['start-mcp', name, '--state-dir', this.state.stateDir]);
    this.reload();
  }

  async stop() {
    if (this.owned) await cli(['stop', '--state-dir', this.state.stateDir]);
  }
}

/**
 * Starts a local Space (building the binaries on first use) and returns a handle that owns it.
 * When a Space already runs in the state dir, it is reused and not owned.
 * @public
 */
export async function startLocalSpace(options: StartLocalSpaceOptions = {}): Promise<LocalSpace> {
  const args = ['start'];
  if (options.stateDir) args.push('--state-dir', options.stateDir);
  if (options.basePort) args.push('--base-port', String(options.basePort));
  if (options.mcps) args.push('--mcps', String(options.mcps));
  if (options.claims) args.push('--claims', String(options.claims));
  if (options.fresh) args.push('--fresh');
  if (options.gitops === false) args.push('--no-gitops');
  if (options.crossplane === false) args.push('--no-crossplane');
  args.push('--json');
  const state: LocalSpaceState = JSON.parse(await cli(args, options.onProgress));
  return new LocalSpaceHandle(path.join(state.stateDir, 'state.json'), true);
}

/**
 * Stops every process of the local Space in `stateDir` (its data stays). Safe when it is not running.
 * @public
 */
export async function stopLocalSpace(
  stateDir: string,
  options: { onProgress?: (line: string) => void } = {},
): Promise<void> {
  await cli(['stop', '--state-dir', stateDir], options.onProgress);
}

/**
 * The state.json of the local Space in `stateDir`, or undefined when none was started there.
 * @public
 */
export function readLocalSpaceState(stateDir: string): LocalSpaceState | undefined {
  const file = path.join(stateDir, 'state.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

/**
 * What runs of the local Space in `stateDir`: its state and one row per process (port, pid, liveness,
 * RSS), or undefined when none was started there.
 * @public
 */
export async function localSpaceStatus(
  stateDir: string,
): Promise<{ state: LocalSpaceState; processes: LocalSpaceProcess[] } | undefined> {
  if (!readLocalSpaceState(stateDir)) return undefined;
  return JSON.parse(await cli(['status', '--state-dir', stateDir, '--json']));
}

/**
 * The running local Space named by `UPBOUND_LOCAL_SPACE_STATE` (as the jest global setup sets it), or
 * undefined. The handle does not own the Space: stop() leaves it running.
 * @public
 */
export function getLocalSpace(): LocalSpace | undefined {
  const file = process.env[LOCAL_SPACE_STATE_ENV];
  if (!file || !fs.existsSync(file)) return undefined;
  return new LocalSpaceHandle(file, false);
}

/** True when a local Space is available to tests. @public */
export function localSpaceAvailable(): boolean {
  return !process.env[LOCAL_SPACE_UNAVAILABLE_ENV] && getLocalSpace() !== undefined;
}

/** True under `CI=true` (or `CI=1`): a missing test dependency is then a failure, never a skip. @public */
export function isCi(): boolean {
  return ['true', '1'].includes(String(process.env.CI ?? '').toLowerCase());
}

/**
 * `describe` when `available` holds. Otherwise, under `CI=true` a suite with one failing test that
 * names the reason (a suite whose real dependency is missing fails in CI, it never skips); outside
 * CI `describe.skip` with the reason printed once.
 * @public
 */
export function describeIf(available: boolean, reason: string): jest.Describe {
  return ((name: string, fn: () => void) => {
    /* eslint-disable jest/valid-title, jest/valid-describe-callback, jest/no-disabled-tests */
    if (available) return describe(name, fn);
    if (isCi()) {
      // Read from the global scope: a literal `it` here would make this module a test file to lint.
      const testCase: jest.It = (globalThis as unknown as { it: jest.It }).it;
      return describe(name, () => {
        testCase('has what it needs', () => {
          throw new Error(`"${name}" cannot run under CI=true: ${reason}`);
        });
      });
    }
    // eslint-disable-next-line no-console
    console.warn(`Skipping "${name}": ${reason}`);
    return describe.skip(name, fn);
    /* eslint-enable jest/valid-title, jest/valid-describe-callback, jest/no-disabled-tests */
  }) as jest.Describe;
}

/**
 * `describe` when a local Space is available; else it fails under `CI=true`, and is skipped with
 * the reason elsewhere.
 * @public
 */
export const describeIfLocalSpace: jest.Describe = ((name: string, fn: () => void) =>
  describeIf(
    localSpaceAvailable(),
    `no local Space (${
      process.env[LOCAL_SPACE_UNAVAILABLE_ENV] ?? `${LOCAL_SPACE_STATE_ENV} is not set`
    })`,
  )(name, fn)) as jest.Describe;
