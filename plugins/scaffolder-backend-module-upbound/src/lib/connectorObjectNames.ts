/** Names of the objects connector install creates (uninstall removes the same). */
export function connectorObjectNames(releaseName: string) {
  return {
    /** The chart source in the Flux namespace (OCIRepository, or HelmRepository for an HTTP repository). */
    ociRepository: releaseName,
    helmRelease: releaseName,
    /** The token Flux passes to the chart values. */
    valuesSecret: `${releaseName}-token`,
    /** The control plane kubeconfig in the installation namespace (tokenIn kubeconfigSecret). */
    kubeconfigSecret: `${releaseName}-controlplane`,
    /** Argo CD: the repository Secret and the Application (suffixed with the app cluster). */
    argoRepositorySecret: `${releaseName}-chart-repository`,
    argoApplication: (appCluster: string) => `${releaseName}-${appCluster}`,
  };
}
