import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import type { ClaimApiPickerValue } from './ClaimApiPicker';

/** Rejects a half-filled claim API value (both apiVersion and kind are needed). @public */
export const validateClaimApi: CustomFieldValidator<ClaimApiPickerValue> = (value, validation) => {
  if (value && (!value.apiVersion || !value.kind)) {
    validation.addError('Choose a claim API');
  }
};
