/*
 * Two backend replicas on one real PostgreSQL (Debian's binaries, started here on loopback with a
 * throw-away data dir): the catalog module's full sync (scope global) runs once per period across
 * both, and either replica serves the Upbound API, the catalog it wrote and the scaffolder actions.
 */
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { startTestBackend } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { describeIf, describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import catalogModuleUpbound from '@upbound-backstage/plugin-catalog-backend-module-upbound';
import scaffolderModuleUpbound from '@upbound-backstage/plugin-scaffolder-backend-module-upbound';
import upboundPlugin from '@upbound-backstage/plugin-upbound-backend';
import { upboundServiceFactory } from '@upbound-backstage/plugin-upbound-node';
import request from 'supertest';
import { CapturingLogger } from './lib/CapturingLogger';
import { DEV_ID, eventually, spaceConfig } from './lib/harness';
import { postgresBinDir, startPostgres, type TestPostgres } from './lib/postgres';

const PERIOD_S = 3;
const SYNC_DONE = /^Read \d+ of \d+ control planes/;

// Under CI=true a missing PostgreSQL or local Space fails the suite; elsewhere it is skipped.
const describeIfPostgres = postgresBinDir()
  ? describeIfLocalSpace
  : describeIf(false, 'PostgreSQL binaries not found in /usr/lib/postgresql');

describeIfPostgres('two replicas on one PostgreSQL', () => {
  let pg: TestPostgres | undefined;
  const replicas: Array<{ server: any; logger: CapturingLogger; stop(): Promise<void> }> = [];

  beforeAll(async () => {
    pg = await startPostgres();
    const config = spaceConfig(getLocalSpace()!);
    const data = {
      ...config,
      backend: {
        database: {
          client: 'pg',
          connection: { host: pg.host, port: pg.port, user: pg.user },
        },
      },
      catalog: {
        rules: [{ allow: ['Component', 'API', 'Resource', 'Location', 'Template', 'Group', 'User', 'System'] }],
        providers: {
          upbound: {
            watch: false,
            schedule: { frequency: { seconds: PERIOD_S }, timeout: { seconds: 60 } },
          },
        },
      },
    };
    // One after the other: both create the plugin databases on first start.
    for (let i = 0; i < 2; i++) {
      const logger = new CapturingLogger();
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleUpbound,
          upboundPlugin,
          scaffolderPlugin,
          scaffolderModuleUpbound,
          upboundServiceFactory,
          schedulerServiceFactory,
          logger.factory(),
          mockServices.rootConfig.factory({ data }),
        ],
      });
      replicas.push({ server: backend.server, logger, stop: () => backend.stop() });
    }
  });

  afterAll(async () => {
    try {
      for (const r of replicas) await r.stop();
    } finally {
      pg?.stop();
    }
  });

  function syncs() {
    return replicas
      .flatMap((r, replica) =>
        r.logger.lines.filter(l => SYNC_DONE.test(l.message)).map(l => ({ replica, at: l.at })),
      )
      .sort((a, b) => a.at - b.at);
  }

  it('runs each scheduled full sync once per period across both replicas', async () => {
    await eventually(() => (syncs().length > 0 ? true : undefined), 60_000, 'a first full sync');
    const start = syncs()[0].at;
    const windowMs = PERIOD_S * 5 * 1000;
    await new Promise(r => setTimeout(r, windowMs));
    const runs = syncs().filter(s => s.at >= start && s.at <= start + windowMs);
    // Once per period: never two runs of one period (one per replica), never a skipped stretch.
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(windowMs / (PERIOD_S * 1000) + 1);
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].at - runs[i - 1].at).toBeGreaterThan(PERIOD_S * 1000 * 0.6);
    }
  });

  it('serves the Upbound API and the shared catalog from either replica', async () => {
    for (const r of replicas) {
      const list = await request(r.server).get('/api/upbound/controlplanes');
      expect(list.status).toBe(200);
      expect(list.body.items.find((i: any) => i.id === DEV_ID).counts.claimCount).toBeGreaterThan(0);
      const entities = await eventually(async () => {
        const res = await request(r.server)
          .get('/api/catalog/entities/by-query')
          .query({ filter: 'spec.type=upbound-control-plane' });
        return res.status === 200 && res.body.items.length >= 2 ? res.body.items : undefined;
      }, 60_000, 'control plane entities in the catalog');
      expect(entities.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('runs the scaffolder actions on either replica', async () => {
    const template = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 'it-replica-claim', namespace: 'default' },
      spec: {
        type: 'resource',
        parameters: [],
        steps: [
          {
            id: 'claim',
            name: 'Create claim',
            action: 'upbound:claim:create',
            input: {
              controlPlane: DEV_ID,
              apiVersion: 'database.example.org/v1alpha1',
              kind: 'PostgreSQLInstance',
              name: 'it-replica-claim',
              namespace: 'payments',
              parameters: { parameters: { storageGB: 20 } },
            },
          },
        ],
        output: {},
      },
    };
    for (const r of replicas) {
      const res = await request(r.server)
        .post('/api/scaffolder/v2/dry-run')
        .send({ template, values: {}, secrets: {}, directoryContents: [] });
      expect(res.status).toBe(200);
      expect(res.body.steps).toEqual([expect.objectContaining({ id: 'claim' })]);
      const log = JSON.stringify(res.body.log);
      expect(log).not.toMatch(/"status":"failed"/);
      expect(log).toMatch(/would create PostgreSQLInstance payments\/it-replica-claim/);
      expect(log).toMatch(/"status":"completed"/);
    }
  });
});
