/*
 * The module inside the real catalog backend (processing, stitching, search table): a failing
 * claim type shows as a status item on its control plane entity, and claims with names of 253
 * characters keep a title the catalog indexes, so its text search finds them by namespace/name.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  KubeError,
  upboundServiceRef,
} from '@upbound-backstage/plugin-upbound-node';
import { createFakeUpboundService } from '@upbound-backstage/plugin-upbound-node/testUtils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import { fixtures } from './__fixtures__';
import { CTP_A, claim } from './__testUtils__/providerHarness';
import { catalogModuleUpbound } from './module';

jest.setTimeout(60_000);

const LONG_NAME = `${'orders-'.repeat(35)}db-0042`.slice(-253);

async function eventually<T>(
  fn: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('the catalog module in the catalog backend', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    const upbound = createFakeUpboundService({
      controlPlanes: [
        {
          name: 'ctp-a',
          space: 'local',
          group: 'platform',
          objects: [
            fixtures.xrdV1,
            fixtures.xrdV2,
            claim('orders-db', 'payments'),
            claim(LONG_NAME, 'payments'),
            fixtures.xrBucket,
          ],
        },
      ],
    });
    // Namespaced XRs of the v2 XRD are forbidden to the provider's credentials.
    upbound.client(CTP_A).failWhen(call =>
      call.method === 'list' && call.plural === 'buckets'
        ? new KubeError({
            type: 'forbidden',
            statusCode: 403,
            cluster: CTP_A,
            message:
              'buckets.storage.example.org is forbidden: User "system:serviceaccount:backstage:reader" cannot list resource "buckets"',
          })
        : undefined,
    );
    const scheduler = mockServices.scheduler.mock();
    server = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleUpbound,
        scheduler.factory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              providers: { upbound: { watch: false } },
              processingInterval: { seconds: 1 },
            },
          },
        }),
        createServiceFactory({
          service: upboundServiceRef,
          deps: {},
          factory: () => upbound,
        }),
      ],
    });
    const task = scheduler.scheduleTask.mock.calls.find(
      ([t]) => t.id === 'upbound-provider:default:refresh',
    )!;
    // The provider connects when the catalog starts; then run one full sync.
    await (task[0].fn as () => Promise<void>)();
  });

  afterAll(async () => {
    await server?.stop();
  });

  const query = async (params: Record<string, string>) => {
    const res = await request(server.server)
      .get('/api/catalog/entities/by-query')
      .query(params)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body.items as Entity[];
  };

  it('records a claim type that cannot be listed as a status item of its control plane', async () => {
    const cp = await eventually(async () => {
      const [e] = await query({
        filter: 'kind=resource,spec.type=upbound-control-plane',
      });
      return (e as any)?.status?.items?.length ? e : undefined;
    });
    expect((cp as any).status.items).toEqual([
      {
        type: 'upbound.io/claim-type-read',
        level: 'warning',
        message: expect.stringMatching(
          /^Claims of Bucket \(storage\.example\.org\) could not be listed since .*; the catalog keeps their last known state, every other claim type is current\. forbidden \(403\): buckets\.storage\.example\.org is forbidden/,
        ),
        error: expect.objectContaining({
          name: 'ClaimTypeReadError',
          statusCode: 403,
        }),
      },
    ]);
    // The readable type of the same control plane is all there.
    const claims = await query({ filter: 'spec.type=crossplane-claim' });
    expect(claims).toHaveLength(2);
  });

  it('finds a claim by namespace/name in the title search, also with a 253 character name', async () => {
    const byTitle = (term: string) =>
      eventually(async () => {
        const items = await query({
          fullTextFilterTerm: term,
          fullTextFilterFields: 'metadata.title',
        });
        return items.length ? items : undefined;
      });
    const [short] = await byTitle('payments/orders-db');
    expect(short.metadata.title).toBe('payments/orders-db (ctp-a)');

    const [long] = await byTitle(`payments/${LONG_NAME.slice(0, 30)}`);
    expect(long.metadata.annotations?.['upbound.io/name']).toBe(LONG_NAME);
    expect(long.metadata.title!.length).toBeLessThanOrEqual(80);
    expect(long.metadata.title).toMatch(
      /^payments\/orders-[a-z-]*…[a-z-]*db-0042 \(ctp-a\)$/,
    );
    // The full name is in the description, which Backstage Search indexes.
    expect(long.metadata.description).toContain(`payments/${LONG_NAME}`);
  });
});
