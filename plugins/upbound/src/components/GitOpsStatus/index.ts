export {
  ArgoConditions,
  ArgoHealthStatus,
  ArgoSyncStatus,
  CredentialProblemPanel,
  FluxEmptyWarning,
  FluxSource,
  RepoLink,
  ResourceCount,
  Revision,
} from './GitOpsStatus';
