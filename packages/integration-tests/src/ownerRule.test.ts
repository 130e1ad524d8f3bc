/*
 * One owner rule: with a non-default owner key in `upbound.owners`, `upbound:claim:create` writes a
 * claim's owner under that key and the catalog module reads it back as the claim entity's owner.
 * Both modules run as installed, on one fake Upbound service.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint, type EntityProviderMutation } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import catalogModuleUpbound, { type UpboundEntityProvider } from '@upbound-backstage/plugin-catalog-backend-module-upbound';
import scaffolderModuleUpbound from '@upbound-backstage/plugin-scaffolder-backend-module-upbound';
import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import { upboundServiceRef } from '@upbound-backstage/plugin-upbound-node';
import { createFakeUpboundService, xrdOf } from '@upbound-backstage/plugin-upbound-node/testUtils';

const CP_ID = 'space/local/platform/ctp-a';
const OWNER_KEY = 'example.com/team';

const postgres: ClaimApi = {
  name: 'xpostgresqlinstances.database.example.org',
  xrdApiVersion: 'apiextensions.crossplane.io/v1',
  group: 'database.example.org',
  kind: 'XPostgreSQLInstance',
  plural: 'xpostgresqlinstances',
  claimKind: 'PostgreSQLInstance',
  claimPlural: 'postgresqlinstances',
  scope: 'LegacyCluster',
  versions: [{ name: 'v1alpha1', served: true, referenceable: true, schema: { type: 'object' } }],
  referenceableVersion: 'v1alpha1',
};

describe('the owner rule across upbound:claim:create and the catalog', () => {
  it('writes the owner under the configured key, and the catalog reads it from there', async () => {
    const upbound = createFakeUpboundService({
      controlPlanes: [
        {
          name: 'ctp-a',
          space: 'local',
          group: 'platform',
          objects: [xrdOf(postgres), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } }],
        },
      ],
    });
    const addActions = jest.fn();
    const addEntityProvider = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [
        [scaffolderActionsExtensionPoint, { addActions }],
        [catalogProcessingExtensionPoint, { addEntityProvider, addProcessor: jest.fn() }],
      ],
      features: [
        scaffolderModuleUpbound,
        catalogModuleUpbound,
        mockServices.rootConfig.factory({
          data: {
            upbound: { owners: { label: OWNER_KEY, namespaces: { payments: 'group:default/payments' } } },
            catalog: { providers: { upbound: { watch: false } } },
          },
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.scheduler.mock().factory,
        catalogServiceMock.factory(),
        createServiceFactory({ service: upboundServiceRef, deps: {}, factory: () => upbound }),
      ],
    });
    try {
      const claimCreate = addActions.mock.calls.flat().find((a: any) => a.id === 'upbound:claim:create');
      await claimCreate.handler(
        createMockActionContext({
          input: {
            controlPlane: CP_ID,
            apiVersion: 'database.example.org/v1alpha1',
            kind: 'PostgreSQLInstance',
            name: 'orders-db',
            namespace: 'payments',
            parameters: { parameters: { storageGB: 20 } },
            owner: 'user:default/jane',
          },
        }),
      );
      const claim = upbound.client(CP_ID).all().find(o => o.kind === 'PostgreSQLInstance')!;
      expect(claim.metadata?.annotations).toEqual({ [OWNER_KEY]: 'user:default/jane' });

      const [[provider]] = addEntityProvider.mock.calls[0] as [[UpboundEntityProvider]];
      const mutations: EntityProviderMutation[] = [];
      await provider.connect({
        applyMutation: async m => {
          mutations.push(m);
        },
        refresh: async () => {},
      });
      await provider.refresh();
      const entities: Entity[] = mutations[0].type === 'full' ? mutations[0].entities.map(d => d.entity) : [];
      const entity = entities.find(e => e.metadata.annotations?.['upbound.io/name'] === 'orders-db');
      // The claim's own owner wins over its namespace's.
      expect(entity?.spec?.owner).toBe('user:default/jane');
      await provider.stop();
    } finally {
      await backend.stop();
    }
  });
});
