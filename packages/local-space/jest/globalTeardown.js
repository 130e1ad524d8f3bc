// Jest global teardown: stops the local Space the global setup started (never a reused one).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const CLI = path.resolve(__dirname, '..', 'bin', 'local-space.ts');
const STARTED_ENV = 'UPBOUND_LOCAL_SPACE_STARTED_BY_JEST';

module.exports = async function globalTeardown() {
  const stateDir = process.env[STARTED_ENV];
  if (!stateDir) return;
  execFileSync(process.execPath, [CLI, 'stop', '--state-dir', stateDir], { stdio: 'ignore' });
  delete process.env[STARTED_ENV];
  delete process.env.UPBOUND_LOCAL_SPACE_STATE;
  fs.rmSync(stateDir, { recursive: true, force: true });
};
