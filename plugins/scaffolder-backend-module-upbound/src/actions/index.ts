export { createClaimCreateAction } from './claimCreate';
export { createConnectorInstallAction } from './connectorInstall';
export { createConnectorUninstallAction } from './connectorUninstall';
export { createArgoCdConnectAction } from './argocdConnect';
export { createFluxConnectAction } from './fluxConnect';
export { createControlPlaneKubeconfigAction } from './controlPlaneKubeconfig';
