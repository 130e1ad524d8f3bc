import fs from 'node:fs';
import { ConfigReader } from '@backstage/config';
import { createUpboundService } from '@upbound-backstage/plugin-upbound-node';
import { benchLogger } from './logger';
async function main() {
  const state = JSON.parse(fs.readFileSync('bench/out/space/state.json', 'utf8'));
  const config = new ConfigReader({ upbound: { spaces: [{ name: state.spaceName, enabled: true, hub: { kubeconfigPath: state.hub.kubeconfigPath } }] } });
  const upbound = createUpboundService({ config, logger: benchLogger() });
  const inv = await upbound.inventory();
  for (const round of [1, 2]) {
    const before = upbound.stats();
    const times: Record<string, number> = {};
    await Promise.all(inv.controlPlanes.map(async cp => {
      const t0 = performance.now();
      try { const apis = await upbound.claimApis(cp.id, { refresh: true });
        const t1 = performance.now();
        await Promise.all(apis.filter(a => a.claimPlural || a.scope === 'Namespaced').map(a => cp.client.list(cp.client ? { group: a.group, version: a.referenceableVersion!, apiVersion: `${a.group}/${a.referenceableVersion}`, kind: a.claimKind ?? a.kind, plural: a.claimPlural ?? a.plural, namespaced: true } : (null as any))));
        times[cp.name] = Math.round(performance.now() - t0); times[cp.name + ':apis'] = Math.round(t1 - t0);
      } catch (e: any) { times[cp.name] = -Math.round(performance.now() - t0); }
    }));
    const after = upbound.stats();
    const diff = Object.fromEntries(Object.keys(after).map(k => [k.split('/').pop(), after[k].total - (before[k]?.total ?? 0)]).filter(([, v]) => v));
    console.log(JSON.stringify({ round, times, diff }));
  }
  process.exit(0);
}
main();
