import type { ControlPlaneListItem } from '@upbound-backstage/plugin-upbound-common';

/** Status filter values of the control planes page. */
export type ControlPlaneStatusFilter = 'all' | 'ready' | 'not-ready' | 'unreachable' | 'failing-claims';

/** Filters of the control planes page. */
export interface ControlPlaneFilters {
  search: string;
  status: ControlPlaneStatusFilter;
  /** Space name, `direct` for direct control planes, or `all`. */
  space: string;
}

/** The section a control plane is listed under: its Space, or `direct`. */
export function spaceKey(cp: ControlPlaneListItem): string {
  return cp.source === 'direct' ? 'direct' : cp.space ?? 'unknown';
}

function matchesStatus(cp: ControlPlaneListItem, status: ControlPlaneStatusFilter): boolean {
  switch (status) {
    case 'ready':
      return !cp.error && cp.ready.state === 'True';
    case 'not-ready':
      return !cp.error && cp.ready.state !== 'True';
    case 'unreachable':
      return !!cp.error;
    case 'failing-claims':
      return (cp.counts?.failingClaimCount ?? 0) > 0;
    default:
      return true;
  }
}

/** Applies the page filters; search matches name, group, Space, id, version and message. */
export function filterControlPlanes(
  items: ControlPlaneListItem[],
  filters: ControlPlaneFilters,
): ControlPlaneListItem[] {
  const needle = filters.search.trim().toLocaleLowerCase('en-US');
  return items.filter(cp => {
    if (filters.space !== 'all' && spaceKey(cp) !== filters.space) return false;
    if (!matchesStatus(cp, filters.status)) return false;
    if (!needle) return true;
    return [cp.id, cp.name, cp.group, cp.space, cp.crossplaneVersion, cp.message, cp.error?.message]
      .filter(Boolean)
      .some(v => v!.toLocaleLowerCase('en-US').includes(needle));
  });
}

/** Groups control planes by section (Space) and sorts them by group, then name. */
export function groupBySpace(items: ControlPlaneListItem[]): Array<[string, ControlPlaneListItem[]]> {
  const bySpace = new Map<string, ControlPlaneListItem[]>();
  for (const cp of items) {
    const key = spaceKey(cp);
    bySpace.set(key, [...(bySpace.get(key) ?? []), cp]);
  }
  const sortKey = (cp: ControlPlaneListItem) => `${cp.group ?? ''}\u0000${cp.name}`;
  // Direct control planes come after every Space.
  const rank = (key: string) => (key === 'direct' ? `\uffff${key}` : key);
  return [...bySpace.entries()]
    .sort(([a], [b]) => rank(a).localeCompare(rank(b)))
    .map(([key, list]) => [key, [...list].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))]);
}
