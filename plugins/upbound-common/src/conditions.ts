import type { ClaimApi, Condition, ConditionSummary } from './types';

/** Reads a condition from a list and reduces it to a low-churn summary (no timestamps). @public */
export function summarizeCondition(
  conditions: Condition[] | undefined,
  type: string,
): ConditionSummary {
  const c = conditions?.find(x => x.type === type);
  if (!c) return { state: 'Unknown' };
  const state =
    c.status === 'True' || c.status === 'False' ? c.status : 'Unknown';
  const out: ConditionSummary = { state };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

/** Conditions of any Kubernetes object, tolerating a missing or malformed status. @public */
export function conditionsOf(obj: unknown): Condition[] {
  const status = (obj as { status?: { conditions?: unknown } } | undefined)
    ?.status;
  const conditions = status?.conditions;
  return Array.isArray(conditions)
    ? conditions.filter(
        (c): c is Condition =>
          !!c &&
          typeof c === 'object' &&
          typeof (c as Condition).type === 'string',
      )
    : [];
}

/** A Crossplane object is failing when Ready or Synced is False. @public */
export function isFailing(s: {
  ready?: ConditionSummary;
  synced?: ConditionSummary;
}): boolean {
  return s.ready?.state === 'False' || s.synced?.state === 'False';
}

/**
 * Why a claim API cannot take new objects now: its XRD is not Established, or (for a claim) the
 * claim is not Offered. Undefined when it can, or when the XRD has no conditions yet to tell.
 * @public
 */
export function claimApiUnavailable(
  api: Pick<ClaimApi, 'name' | 'claimKind' | 'established' | 'offered'>,
  type: 'claim' | 'composite' = api.claimKind ? 'claim' : 'composite',
): string | undefined {
  const explain = (c: ConditionSummary) =>
    [c.reason, c.message].filter(Boolean).join(': ') || c.state;
  if (api.established && api.established.state !== 'True') {
    return `XRD ${api.name} is not Established (${explain(api.established)})`;
  }
  if (type === 'claim' && api.offered && api.offered.state !== 'True') {
    return `claim ${api.claimKind} of XRD ${api.name} is not Offered (${explain(api.offered)})`;
  }
  return undefined;
}
