export { ArgoSyncButton } from './ArgoSyncButton';
export type { ArgoSyncButtonProps } from './ArgoSyncButton';
