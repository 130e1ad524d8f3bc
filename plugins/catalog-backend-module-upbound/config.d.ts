import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Entity provider for Upbound control planes, claim APIs, claims and app clusters. The
       * control planes themselves come from the shared `upbound` config section.
       */
      upbound?: {
        /** (Optional) Set to false to stop all work of the provider. Default: true. */
        enabled?: boolean;
        /**
         * (Optional) Schedule of the full sync. It always runs with scope `global` (once across
         * replicas). Default: every 5 minutes, timeout 3 minutes.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** (Optional) Watch claims and XRs for changes between full syncs. Default: true. */
        watch?: boolean;
        /** (Optional) Which entities to emit. Each defaults to true. */
        entities?: {
          controlPlanes?: boolean;
          claimApis?: boolean;
          claims?: boolean;
          appClusters?: boolean;
        };
        /** (Optional) A scaffolder Template per claim API. */
        templates?: {
          /** Default: false. */
          enabled?: boolean;
          /** (Optional) Owner of the generated templates. Default: `defaultOwner`. */
          owner?: string;
          /** (Optional) Default namespace of claims created from the templates. Default: `default`. */
          namespace?: string;
        };
        /**
         * (Optional) Owner entity ref when nothing else applies.
         * @deprecated Use `upbound.owners.default`; this key applies only while that one is unset.
         */
        defaultOwner?: string;
        /**
         * (Optional) Label or annotation key read on claims and XRs for their owner.
         * @deprecated Use `upbound.owners.label`; this key applies only while that one is unset.
         */
        ownerLabel?: string;
        /**
         * (Optional) Owner by namespace (claims) or group (control planes).
         * @deprecated Use `upbound.owners.namespaces`; this key applies only while that one is unset.
         */
        namespaceOwners?: { [namespace: string]: string };
        /** (Optional) System entity ref set on every emitted entity. */
        system?: string;
        /** (Optional) Control planes read in parallel during a full sync. Default: 4. */
        concurrency?: number;
        /**
         * (Optional) Time allowed to read one control plane during a full sync; after it the control
         * plane counts as failed and keeps its last good entities. Default: 60 seconds.
         */
        controlPlaneTimeout?: HumanDuration | string;
      };
    };
  };
}
