#!/usr/bin/env node
// The local Space: real etcd + kube-apiservers (hub, control planes, app cluster) and an ingress proxy on
// 127.0.0.1, seeded from fixtures/. Run `local-space.ts help` for usage.
import { parseArgs } from 'node:util';
import {
  readState, seedSpace, spaceStatus, startControlPlane, startSpace, stopControlPlane, stopSpace, writeAppConfig,
} from '../src/lib/space.ts';
import { seedClaims } from '../src/lib/crossplane.ts';
import type { LocalSpaceState } from '../src/lib/space.ts';
import { DEFAULT_BASE_PORT, DEFAULT_CLAIMS, DEFAULT_MCPS, DEFAULT_STATE_DIR } from '../src/lib/layout.ts';

const USAGE = `usage: local-space.ts <command> [options]

commands:
  start               build the binaries if needed, start and seed the Space (no-op when it runs)
  stop                stop every process of the Space (safe to run twice; data is kept)
  status              what runs: ports, pids, memory
  seed                apply the fixtures again (and --claims M generated claims per control plane)
  stop-mcp NAME       stop one control plane's API server (the ingress then answers 503)
  start-mcp NAME      start it again

options:
  --state-dir DIR     state, kubeconfigs, logs and etcd data (default ${DEFAULT_STATE_DIR})
  --base-port N       first of the ports used (default ${DEFAULT_BASE_PORT})
  --mcps N            running control planes (default ${DEFAULT_MCPS}; one more that is not ready is always added)
  --claims M          generated claims per control plane, each with an XR and two managed resources (default ${DEFAULT_CLAIMS})
  --fresh             start from empty etcd data
  --no-gitops         start without the Git server, Flux and Argo CD (faster; GitOps objects get no status)
  --no-crossplane     start without Crossplane, the function and provider-nop (faster; claims are not composed)
  --json              print state.json (start, status) instead of a summary
`;

const log = (line: string) => process.stderr.write(`${line}\n`);

function summary(state: LocalSpaceState): string {
  const lines = [
    `state:       ${state.stateDir}/state.json`,
    `app config:  ${state.appConfigPath}   (yarn start --config ${state.appConfigPath})`,
    `hub:         ${state.hub.url}   KUBECONFIG=${state.hub.kubeconfigPath}`,
    `ingress:     ${state.ingress.url}`,
    `app cluster: ${state.appCluster.url}   KUBECONFIG=${state.appCluster.kubeconfigPath}   clusterId ${state.appCluster.clusterId}`,
    'control planes:',
    ...state.controlPlanes.map(cp => `  ${`${cp.group}/${cp.name}`.padEnd(18)} ${cp.running ? `${cp.url}  via ${cp.ingressUrl}` : 'not ready (no API server)'}`),
  ];
  if (state.gitops?.enabled) {
    lines.push(
      `git:         ${state.gitops.git.repositoryUrl}   (GIT_SSL_CAINFO=${state.caFile})`,
      `flux:        source-controller and kustomize-controller in namespace ${state.gitops.flux.namespace} of the app cluster`,
      `argo cd:     ${state.gitops.argocd.url}   (API server; controller and repo-server in namespace ${state.gitops.argocd.namespace})`,
    );
  } else {
    lines.push('gitops:      not started (--no-gitops)');
  }
  lines.push(state.crossplane?.enabled
    ? `crossplane:  core and provider-nop per control plane, ${state.crossplane.function.name} on 127.0.0.1:${state.crossplane.function.port}`
    : 'crossplane:  not running (--no-crossplane, or --claims seeds claims with their status)');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'state-dir': { type: 'string' },
      'base-port': { type: 'string' },
      mcps: { type: 'string' },
      claims: { type: 'string' },
      fresh: { type: 'boolean' },
      'no-gitops': { type: 'boolean' },
      'no-crossplane': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, arg] = positionals;
  const stateDir = values['state-dir'] ?? process.env.LOCAL_SPACE_STATE_DIR ?? DEFAULT_STATE_DIR;
  if (values.help || !command || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  switch (command) {
    case 'start': {
      const state = await startSpace({
        stateDir,
        basePort: values['base-port'],
        mcps: values.mcps,
        claims: values.claims,
        fresh: values.fresh,
        gitops: !values['no-gitops'],
        crossplane: !values['no-crossplane'],
        log,
      });
      process.stdout.write(values.json ? `${JSON.stringify(state, null, 2)}\n` : `${summary(state)}\n`);
      return;
    }
    case 'stop':
      await stopSpace({ stateDir, log });
      return;
    case 'status': {
      const { state, processes } = spaceStatus({ stateDir });
      if (!state) {
        process.stdout.write(`no local Space in ${stateDir}\n`);
        process.exitCode = 1;
        return;
      }
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ state, processes }, null, 2)}\n`);
        return;
      }
      let total = 0;
      for (const p of processes) {
        total += p.rssMiB ?? 0;
        process.stdout.write(`${p.label.padEnd(26)} ${String(p.port ?? '').padEnd(6)} ${p.running ? `running  pid ${String(p.pid).padEnd(8)} ${p.rssMiB} MiB` : 'stopped'}\n`);
      }
      process.stdout.write(`${'total RSS'.padEnd(26)} ${total} MiB\n\n${summary(state)}\n`);
      if (!processes.some(p => p.running)) process.exitCode = 3;
      return;
    }
    case 'seed': {
      const state = readState(stateDir);
      if (!state) throw new Error(`no local Space in ${stateDir}; run start first`);
      await seedSpace(state, { claims: values.claims !== undefined ? Number(values.claims) : undefined, log });
      if (state.crossplane?.enabled) await seedClaims(state, { log });
      writeAppConfig(state);
      return;
    }
    case 'stop-mcp':
    case 'start-mcp': {
      if (!arg) throw new Error(`${command} needs a control plane name`);
      const fn = command === 'stop-mcp' ? stopControlPlane : startControlPlane;
      await fn({ stateDir, name: arg, log });
      return;
    }
    default:
      process.stderr.write(`unknown command ${command}\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

main().catch(e => {
  process.stderr.write(`local-space: ${e.message}\n`);
  process.exitCode = 1;
});
