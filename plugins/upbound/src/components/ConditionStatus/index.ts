export { ConditionStatus } from './ConditionStatus';
export type { ConditionStatusProps } from './ConditionStatus';
