/**
 * Scaffolder actions for Upbound control planes: create claims validated against their XRD, install
 * the MCP Connector, connect control planes to Argo CD or Flux, and issue kubeconfigs.
 *
 * @packageDocumentation
 */
export { scaffolderModuleUpbound as default } from './module';
export * from './actions';
export {
  UPBOUND_FIELD_MANAGER,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from './lib/constants';
