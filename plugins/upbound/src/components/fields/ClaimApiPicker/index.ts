export { ClaimApiPicker } from './ClaimApiPicker';
export type { ClaimApiPickerValue, ClaimApiPickerUiOptions } from './ClaimApiPicker';
