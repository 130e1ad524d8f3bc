import type { AppClusterSummary } from '@upbound-backstage/plugin-upbound-common';
import type { OwnerRules } from './owner';

/** What every entity mapper needs besides the object itself. @public */
export interface MappingContext extends OwnerRules {
  /** Provider name; the origin location of every entity. */
  providerName: string;
  system?: string;
  /** Configured app clusters, to name connector claims' clusters. */
  appClusters: AppClusterSummary[];
  /** Which related entities are emitted, so relations never point at entities that never exist. */
  entities: { controlPlanes: boolean; claimApis: boolean };
}
