// Jest global setup: reuses the local Space named by UPBOUND_LOCAL_SPACE_STATE, or starts one in a
// temporary state dir on a free port range. When the kube binaries cannot be built, sets
// UPBOUND_LOCAL_SPACE_UNAVAILABLE so describeIfLocalSpace skips with the reason.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const PACKAGE_DIR = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(PACKAGE_DIR, '../..');
const CLI = path.join(PACKAGE_DIR, 'bin', 'local-space.ts');
const STATE_ENV = 'UPBOUND_LOCAL_SPACE_STATE';
const UNAVAILABLE_ENV = 'UPBOUND_LOCAL_SPACE_UNAVAILABLE';
const STARTED_ENV = 'UPBOUND_LOCAL_SPACE_STARTED_BY_JEST';
const DEFAULT_TEST_BASE_PORT = 26440;
// A Space uses base..base+99 (API servers, ingress, GitOps engines).
const PORT_SPAN = 100;
// Crossplane, its function and provider-nop use base+200..base+219 (two control planes take base+217).
const CROSSPLANE_PORTS = Array.from({ length: 20 }, (_, i) => 200 + i);
// kube-controller-manager of each control plane: base+160+i.
const CONTROLLER_MANAGER_PORTS = [160, 161];

function portFree(port) {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function freeBasePort(start) {
  for (let base = start; base < start + 20 * 100; base += 100) {
    const offsets = [...Array.from({ length: PORT_SPAN }, (_, i) => i), ...CONTROLLER_MANAGER_PORTS, ...CROSSPLANE_PORTS];
    const checks = await Promise.all(offsets.map(i => portFree(base + i)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error(`no free range of ${PORT_SPAN} ports from ${start}`);
}

function coreRunning(stateFile) {
  try {
    const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    return [state.etcd, state.hub, state.appCluster, state.ingress].every(p => {
      if (!p || !p.pid) return false;
      try {
        return fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes(state.stateDir);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

module.exports = async function globalSetup() {
  const reuse = process.env[STATE_ENV];
  if (reuse) {
    if (!coreRunning(reuse)) {
      throw new Error(`${STATE_ENV}=${reuse} does not name a running local Space; start one or unset it`);
    }
    return;
  }
  try {
    execFileSync(path.join(REPO_ROOT, 'tools/kube/build.sh'), { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (e) {
    process.env[UNAVAILABLE_ENV] = `kube-apiserver and etcd could not be built with tools/kube/build.sh: ${e.message}`;
    process.stderr.write(`\n${process.env[UNAVAILABLE_ENV]}\n`);
    return;
  }
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-space-test-'));
  const basePort = await freeBasePort(Number(process.env.UPBOUND_LOCAL_SPACE_BASE_PORT ?? DEFAULT_TEST_BASE_PORT));
  process.env[STARTED_ENV] = stateDir;
  // Safety net: stop what we started even when jest exits without running the teardown.
  process.once('exit', () => {
    if (process.env[STARTED_ENV]) {
      try {
        execFileSync(process.execPath, [CLI, 'stop', '--state-dir', stateDir], { stdio: 'ignore' });
      } catch {
        // best effort
      }
    }
  });
  execFileSync(process.execPath, [CLI, 'start', '--state-dir', stateDir, '--base-port', String(basePort)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env[STATE_ENV] = path.join(stateDir, 'state.json');
};
