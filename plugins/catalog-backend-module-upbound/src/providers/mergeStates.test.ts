import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_NAME } from '@upbound-backstage/plugin-upbound-common';
import {
  KubeError,
  type ControlPlane,
} from '@upbound-backstage/plugin-upbound-node';
import {
  controlPlane,
  fixtures,
  mappingContext,
  postgresApi,
} from '../__fixtures__';
import { claimToEntity } from '../lib/claimEntity';
import { controlPlaneToEntity } from '../lib/controlPlaneEntity';
import { claimTypeOf, objectKey } from './claimTypes';
import { emptyState, type ControlPlaneState } from './ControlPlaneState';
import {
  mergeStates,
  needsCatalogSeed,
  replayJournal,
  seedFromCatalog,
} from './mergeStates';
import type { ReadResult } from './readControlPlane';

const ref = claimTypeOf(postgresApi)!;
const EARLIER = '2025-01-01T00:00:00.000Z';
const NOW = '2025-01-01T00:05:00.000Z';

function cp(name: string): ControlPlane {
  return { ...controlPlane({ name }), client: {} as any, server: 'https://x' };
}

function claimEntity(c: ControlPlane, name: string): Entity {
  const obj = structuredClone(fixtures.claimPostgres);
  obj.metadata = { name, namespace: 'team-a' };
  return claimToEntity(c, postgresApi, 'claim', obj, mappingContext())!;
}

function claims(...entities: Entity[]): Map<string, Map<string, Entity>> {
  const byName = new Map<string, Entity>();
  for (const e of entities)
    byName.set(
      objectKey('team-a', e.metadata.annotations![ANNOTATION_NAME]),
      e,
    );
  return new Map([[ref.key, byName]]);
}

function ok(c: ControlPlane, entities: Entity[], failing = false): ReadResult {
  return {
    ok: true,
    cp: c,
    apis: [postgresApi],
    claims: failing ? new Map() : claims(...entities),
    failures: failing
      ? [
          {
            ref,
            error: new KubeError({
              type: 'forbidden',
              statusCode: 403,
              cluster: c.id,
              message: 'no list',
            }),
          },
        ]
      : [],
  };
}

function readState(c: ControlPlane, entities: Entity[]): ControlPlaneState {
  return {
    id: c.id,
    cp: c,
    apis: [postgresApi],
    claims: claims(...entities),
    complete: true,
  };
}

const names = (s: ControlPlaneState | undefined) =>
  [...(s?.claims.get(ref.key)?.values() ?? [])].map(
    e => e.metadata.annotations![ANNOTATION_NAME],
  );

describe('mergeStates', () => {
  const a = cp('ctp-a');
  const b = cp('ctp-b');

  it('replaces the state of a control plane that was read, without touching the read', () => {
    const result = ok(a, [claimEntity(a, 'new-db')]);
    const before = result.ok ? new Map(result.claims) : undefined;
    const merged = mergeStates({
      results: [result],
      previous: new Map([[a.id, readState(a, [claimEntity(a, 'old-db')])]]),
      discoveryErrors: [],
      now: NOW,
    });
    expect(names(merged.states.get(a.id))).toEqual(['new-db']);
    expect(merged.states.get(a.id)).toMatchObject({ complete: true });
    expect(merged.states.get(a.id)?.stale).toBeUndefined();
    expect(needsCatalogSeed(merged, true)).toBe(false);
    expect(result.ok && result.claims).toEqual(before);
  });

  it('keeps the last good entities of a claim type that cannot be listed, and when it started failing', () => {
    const previous = new Map([
      [
        a.id,
        {
          ...readState(a, [claimEntity(a, 'old-db')]),
          typeFailures: new Map([
            [
              ref.key,
              {
                group: ref.api.group,
                kind: ref.resourceType.kind,
                xrd: ref.api.name,
                type: 'forbidden' as const,
                message: 'earlier',
                since: EARLIER,
              },
            ],
          ]),
        },
      ],
    ]);
    const merged = mergeStates({
      results: [ok(a, [], true)],
      previous,
      discoveryErrors: [],
      now: NOW,
    });
    const state = merged.states.get(a.id)!;
    expect(names(state)).toEqual(['old-db']);
    expect(state.typeFailures?.get(ref.key)).toMatchObject({
      type: 'forbidden',
      statusCode: 403,
      since: EARLIER,
    });
    expect(merged.typesToSeed).toEqual([]);
  });

  it('keeps a control plane that cannot be read, marked stale since its first failure', () => {
    const error = new KubeError({
      type: 'unreachable',
      cluster: a.id,
      message: 'down',
    });
    const first = mergeStates({
      results: [{ ok: false, cp: a, error }],
      previous: new Map([[a.id, readState(a, [claimEntity(a, 'old-db')])]]),
      discoveryErrors: [],
      now: EARLIER,
    });
    expect(first.states.get(a.id)?.stale).toEqual({
      since: EARLIER,
      reason: 'unreachable: down',
    });
    expect(names(first.states.get(a.id))).toEqual(['old-db']);
    const second = mergeStates({
      results: [{ ok: false, cp: a, error }],
      previous: first.states,
      discoveryErrors: [],
      now: NOW,
    });
    expect(second.states.get(a.id)?.stale?.since).toBe(EARLIER);
    expect(needsCatalogSeed(second, true)).toBe(false);
  });

  it('seeds from the catalog what this process never read', () => {
    const fromCatalog = [
      controlPlaneToEntity(a, [], mappingContext()),
      claimEntity(a, 'orders-db'),
      controlPlaneToEntity(b, [], mappingContext()),
      claimEntity(b, 'billing-db'),
    ];
    const merged = mergeStates({
      results: [
        { ok: false, cp: a, error: new Error('boom') },
        ok(b, [], true),
      ],
      previous: new Map(),
      discoveryErrors: [],
      now: NOW,
    });
    expect(merged.toSeed.map(s => s.id)).toEqual([a.id]);
    expect(merged.typesToSeed.map(t => [t.state.id, t.typeKey])).toEqual([
      [b.id, ref.key],
    ]);
    expect(needsCatalogSeed(merged, true)).toBe(true);

    seedFromCatalog(merged, fromCatalog, NOW);
    expect(names(merged.states.get(a.id))).toEqual(['orders-db']);
    expect(merged.states.get(a.id)).toMatchObject({
      complete: true,
      stale: { since: NOW },
    });
    expect(merged.states.get(a.id)?.seeded?.controlPlane).toBeDefined();
    expect(names(merged.states.get(b.id))).toEqual(['billing-db']);
  });

  it('keeps control planes missing from an inventory whose discovery failed', () => {
    const discoveryErrors = [
      {
        cluster: 'space/local',
        type: 'unreachable' as const,
        message: 'hub down',
      },
    ];
    const merged = mergeStates({
      results: [ok(a, [claimEntity(a, 'orders-db')])],
      previous: new Map([
        [b.id, readState(b, [claimEntity(b, 'billing-db')])],
        [
          'space/local/platform/never',
          emptyState('space/local/platform/never'),
        ],
      ]),
      discoveryErrors,
      now: NOW,
    });
    expect([...merged.states.keys()]).toEqual([a.id, b.id]);
    expect(merged.states.get(b.id)?.stale).toEqual({
      since: NOW,
      reason: 'discovery failed: space/local: hub down',
    });
    expect(names(merged.states.get(b.id))).toEqual(['billing-db']);
    // Before the first full mutation, the catalog may know control planes discovery lost.
    expect(needsCatalogSeed(merged, true)).toBe(false);
    expect(needsCatalogSeed(merged, false)).toBe(true);

    const c = cp('ctp-c');
    seedFromCatalog(
      merged,
      [
        controlPlaneToEntity(c, [], mappingContext()),
        claimEntity(c, 'lost-db'),
      ],
      NOW,
    );
    expect(names(merged.states.get(c.id))).toEqual(['lost-db']);
    expect(merged.states.get(c.id)?.stale?.reason).toMatch(/^discovery failed/);
  });
});

describe('replayJournal', () => {
  it('applies the changes watches saw during the reads onto the control planes that were read', () => {
    const a = cp('ctp-a');
    const b = cp('ctp-b');
    const results: ReadResult[] = [
      ok(a, [claimEntity(a, 'orders-db'), claimEntity(a, 'gone-db')]),
      { ok: false, cp: b, error: new Error('boom') },
    ];
    const merged = mergeStates({
      results,
      previous: new Map([[b.id, readState(b, [claimEntity(b, 'billing-db')])]]),
      discoveryErrors: [],
      now: NOW,
    });
    replayJournal(
      merged,
      results,
      new Map([
        [
          a.id,
          [
            { typeKey: ref.key, key: 'team-a/gone-db' },
            {
              typeKey: ref.key,
              key: 'team-a/new-db',
              entity: claimEntity(a, 'new-db'),
            },
          ],
        ],
        [b.id, [{ typeKey: ref.key, key: 'team-a/billing-db' }]],
      ]),
    );
    expect(names(merged.states.get(a.id))).toEqual(['orders-db', 'new-db']);
    // A control plane that failed keeps its last good entities; its watches resync it.
    expect(names(merged.states.get(b.id))).toEqual(['billing-db']);
  });
});
