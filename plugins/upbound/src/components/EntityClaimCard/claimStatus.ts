import type { JsonObject } from '@backstage/types';
import {
  conditionsOf,
  CROSSPLANE_PAUSED_ANNOTATION,
  summarizeCondition,
  type ConditionSummary,
} from '@upbound-backstage/plugin-upbound-common';

/** What the claim card shows, read from a claim, a legacy XR or a v2 XR. */
export interface ClaimStatus {
  ready: ConditionSummary;
  synced: ConditionSummary;
  compositionName?: string;
  connectionSecretName?: string;
  createdAt?: string;
  paused: boolean;
  resourceRef?: { kind: string; name: string };
}

/** Reads the card's fields; v2 XRs keep Crossplane fields under `spec.crossplane`. */
export function claimStatus(object: JsonObject): ClaimStatus {
  const obj = object as any;
  const spec = obj.spec ?? {};
  const crossplane = spec.crossplane ?? {};
  const conditions = conditionsOf(obj);
  return {
    ready: summarizeCondition(conditions, 'Ready'),
    synced: summarizeCondition(conditions, 'Synced'),
    compositionName: spec.compositionRef?.name ?? crossplane.compositionRef?.name,
    connectionSecretName: spec.writeConnectionSecretToRef?.name,
    createdAt: obj.metadata?.creationTimestamp,
    paused: obj.metadata?.annotations?.[CROSSPLANE_PAUSED_ANNOTATION] === 'true',
    resourceRef: spec.resourceRef?.name
      ? { kind: spec.resourceRef.kind, name: spec.resourceRef.name }
      : undefined,
  };
}
