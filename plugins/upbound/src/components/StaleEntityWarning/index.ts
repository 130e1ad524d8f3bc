export { StaleEntityWarning } from './StaleEntityWarning';
export type { StaleEntityWarningProps } from './StaleEntityWarning';
