/*
 * The module inside the real catalog backend (in-memory database): entities are accepted by the
 * catalog's validation, relations come out as designed, and the origin-location filter the
 * provider uses to read its own entities back matches them.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { upboundServiceRef } from '@upbound-backstage/plugin-upbound-node';
import { createFakeUpboundService } from '@upbound-backstage/plugin-upbound-node/testUtils';
import request from 'supertest';
import { fixtures } from './__fixtures__';
import { catalogModuleUpbound } from './module';

jest.setTimeout(60_000);

describe('catalogModuleUpbound in the catalog backend', () => {
  it('stores entities with the designed relations and finds them by origin location', async () => {
    const upbound = createFakeUpboundService({
      controlPlanes: [
        {
          name: 'ctp-a',
          space: 'local',
          group: 'platform',
          objects: [fixtures.xrdV1, fixtures.claimPostgres],
        },
      ],
    });
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleUpbound,
        mockServices.rootConfig.factory({
          data: { catalog: { processingInterval: { seconds: 1 } } },
        }),
        createServiceFactory({
          service: upboundServiceRef,
          deps: {},
          factory: () => upbound,
        }),
      ],
    });
    try {
      let items: any[] = [];
      for (let i = 0; i < 60 && items.length < 3; i++) {
        const res = await request(backend.server).get('/api/catalog/entities');
        items = Array.isArray(res.body) ? res.body : [];
        if (items.length < 3) await new Promise(r => setTimeout(r, 500));
      }
      const relations = (kind: string) =>
        items
          .find(
            e => e.kind === kind && e.spec?.type !== 'upbound-control-plane',
          )
          .relations.map((r: any) => `${r.type}>${r.targetRef.split('/')[0]}`)
          .sort();
      expect(relations('API')).toEqual([
        'dependencyOf>resource:default',
        'dependsOn>resource:default',
        'ownedBy>group:default',
      ]);
      expect(relations('Resource')).toEqual([
        'dependsOn>api:default',
        'dependsOn>resource:default',
        'ownedBy>group:default',
      ]);

      const filtered = await request(backend.server)
        .get('/api/catalog/entities')
        .query({
          filter:
            'metadata.annotations.backstage.io/managed-by-origin-location=upbound:upbound-provider:default',
        });
      expect(filtered.body).toHaveLength(3);
    } finally {
      await backend.stop();
    }
  });
});
