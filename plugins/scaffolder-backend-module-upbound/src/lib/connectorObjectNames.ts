/** Names of the objects connector install creates in the Flux namespace (uninstall removes the same). */
export function connectorObjectNames(releaseName: string) {
  return {
    ociRepository: releaseName,
    helmRelease: releaseName,
    valuesSecret: `${releaseName}-token`,
  };
}
