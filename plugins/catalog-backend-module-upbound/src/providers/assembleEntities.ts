import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_APP_CLUSTER,
  type AppClusterSummary,
  type ClaimApi,
} from '@upbound-backstage/plugin-upbound-common';
import { appClusterToEntity } from '../lib/appClusterEntity';
import { claimApiToEntity } from '../lib/claimApiEntity';
import { controlPlaneToEntity } from '../lib/controlPlaneEntity';
import { claimApiEntityRef, controlPlaneEntityRef } from '../lib/entityRefs';
import type { MappingContext } from '../lib/mappingContext';
import { markStale, type StaleMark } from '../lib/stale';
import { claimApiToTemplate } from '../lib/templateEntity';
import type { UpboundProviderConfig } from './config';
import { typeStaleMark, type ControlPlaneState } from './ControlPlaneState';

/** Options of {@link assembleEntities}. */
export interface AssembleOptions {
  states: Iterable<ControlPlaneState>;
  ctx: MappingContext;
  config: Pick<UpboundProviderConfig, 'entities' | 'templates'>;
  appClusters: AppClusterSummary[];
}

function controlPlaneRefOf(state: ControlPlaneState): string | undefined {
  if (state.cp) return controlPlaneEntityRef(state.cp);
  return state.seeded?.controlPlane
    ? stringifyEntityRef(state.seeded.controlPlane)
    : undefined;
}

/**
 * Every entity the provider owns, built from the per-control-plane states: what a `full`
 * mutation emits. Entities of stale control planes carry the stale annotations; an API shared
 * by several control planes is stale only when all of them are.
 */
export function assembleEntities(options: AssembleOptions): Entity[] {
  const { ctx, config } = options;
  const states = [...options.states].sort((a, b) =>
    a.id.localeCompare(b.id, 'en'),
  );
  const out = new Map<string, Entity>();
  const add = (entity: Entity, mark?: StaleMark) => {
    const ref = stringifyEntityRef(entity);
    if (!out.has(ref)) out.set(ref, mark ? markStale(entity, mark) : entity);
  };

  type Contribution = {
    api: ClaimApi;
    controlPlaneIds: string[];
    marks: (StaleMark | undefined)[];
  };
  const contributions = new Map<string, Contribution>();
  const seededApis: Array<{ entity: Entity; mark?: StaleMark }> = [];
  const seededTemplates: Array<{ entity: Entity; mark?: StaleMark }> = [];

  for (const state of states) {
    const mark = state.stale;
    const servedRefs = new Set(state.apis.map(claimApiEntityRef));
    const seededCp = state.seeded?.controlPlane;
    for (const ref of (seededCp?.spec?.dependencyOf as string[] | undefined) ??
      []) {
      servedRefs.add(ref);
    }
    if (config.entities.controlPlanes) {
      const readState = {
        claimTypeErrors: [...(state.typeFailures?.values() ?? [])],
        neverRead: !!(mark && state.neverRead),
      };
      if (state.cp) {
        add(
          controlPlaneToEntity(
            state.cp,
            config.entities.claimApis ? [...servedRefs] : [],
            ctx,
            readState,
          ),
          mark,
        );
      } else if (seededCp) {
        add(seededCp, mark);
      }
    }
    if (config.entities.claims) {
      for (const [typeKey, byName] of state.claims) {
        const typeMark = typeStaleMark(state, typeKey);
        for (const entity of byName.values()) add(entity, typeMark);
      }
    }
    for (const api of state.apis) {
      const ref = claimApiEntityRef(api);
      const existing = contributions.get(ref);
      if (!existing) {
        contributions.set(ref, {
          api,
          controlPlaneIds: [state.id],
          marks: [mark],
        });
      } else {
        // The definition comes from the first control plane that was read successfully.
        if (!mark && existing.marks.every(Boolean)) existing.api = api;
        existing.controlPlaneIds.push(state.id);
        existing.marks.push(mark);
      }
    }
    for (const entity of state.seeded?.apis ?? [])
      seededApis.push({ entity, mark });
    for (const entity of state.seeded?.templates ?? [])
      seededTemplates.push({ entity, mark });
  }

  const allStale = (c: Contribution) =>
    c.marks.every(Boolean) ? c.marks[0] : undefined;
  if (config.entities.claimApis) {
    for (const c of contributions.values())
      add(claimApiToEntity(c.api, ctx), allStale(c));
    for (const s of seededApis) add(s.entity, s.mark);
  }
  if (config.templates.enabled) {
    for (const c of contributions.values()) {
      const template = claimApiToTemplate(c.api, c.controlPlaneIds, {
        ...ctx,
        ...(config.templates.owner
          ? { templateOwner: config.templates.owner }
          : {}),
        templateNamespace: config.templates.namespace,
      });
      if (template) add(template, allStale(c));
    }
    for (const s of seededTemplates) add(s.entity, s.mark);
  }
  if (config.entities.appClusters) {
    for (const cluster of options.appClusters) {
      const connected: string[] = [];
      if (config.entities.controlPlanes) {
        for (const state of states) {
          const ref = controlPlaneRefOf(state);
          if (ref && isConnected(state, cluster)) connected.push(ref);
        }
      }
      add(appClusterToEntity(cluster, connected, ctx));
    }
  }
  return [...out.values()];
}

function isConnected(
  state: ControlPlaneState,
  cluster: AppClusterSummary,
): boolean {
  for (const byName of state.claims.values()) {
    for (const entity of byName.values()) {
      const value = entity.metadata.annotations?.[ANNOTATION_APP_CLUSTER];
      if (value && (value === cluster.name || value === cluster.clusterId))
        return true;
    }
  }
  return false;
}
