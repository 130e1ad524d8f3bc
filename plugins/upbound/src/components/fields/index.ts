export { ControlPlanePicker } from './ControlPlanePicker';
export { ClaimApiPicker } from './ClaimApiPicker';
export type { ClaimApiPickerValue, ClaimApiPickerUiOptions } from './ClaimApiPicker';
export { AppClusterPicker } from './AppClusterPicker';
export { validateClaimApi } from './validation';
