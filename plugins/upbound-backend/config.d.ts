export interface Config {
  upbound?: {
    /** Settings of the Upbound backend plugin (REST API). */
    backend?: {
      cache?: {
        /**
         * (Optional) How long a built resource graph is served from cache, in milliseconds.
         * Concurrent identical requests always share one build. Default: 5000.
         */
        graphTtlMs?: number;
        /**
         * (Optional) How long the per-control-plane counts of the control plane list are cached,
         * in milliseconds. Default: 15000.
         */
        countsTtlMs?: number;
      };
      concurrency?: {
        /** (Optional) Control planes counted in parallel for the control plane list. Default: 4. */
        controlPlanes?: number;
      };
    };
  };
}
