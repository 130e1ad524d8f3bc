import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import type { ControlPlaneListItem } from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../../api';
import { errorMessage } from '../../../lib/errorMessage';

function label(cp: ControlPlaneListItem): string {
  return cp.source === 'direct' ? `${cp.name} (direct)` : `${cp.space}/${cp.group}/${cp.name}`;
}

/**
 * Scaffolder field `UpboundControlPlanePicker`: picks a reachable control plane; the value is its id.
 * @public
 */
export function ControlPlanePicker(props: FieldExtensionComponentProps<string>) {
  const { formData, onChange, required, rawErrors, schema, idSchema } = props;
  const api = useApi(upboundApiRef);
  const { value, loading, error } = useAsync(() => api.listControlPlanes(), [api]);
  const options = value?.items ?? [];
  const selected = options.find(o => o.id === formData) ?? null;

  return (
    <FormControl margin="normal" required={required} error={!!rawErrors?.length || !!error} fullWidth>
      <Autocomplete<ControlPlaneListItem>
        id={idSchema?.$id ?? 'upbound-control-plane'}
        options={options}
        loading={loading}
        value={selected}
        groupBy={cp => (cp.source === 'direct' ? 'Direct' : `Space ${cp.space}`)}
        getOptionLabel={label}
        getOptionDisabled={cp => !!cp.error}
        getOptionSelected={(a, b) => a.id === b.id}
        onChange={(_, cp) => onChange(cp?.id ?? undefined)}
        renderOption={cp => (
          <span>
            {label(cp)}
            {cp.error ? ` — unreachable: ${cp.error.message}` : ''}
          </span>
        )}
        renderInput={params => (
          <TextField
            {...params}
            label={schema.title ?? 'Control plane'}
            required={required}
            variant="outlined"
          />
        )}
      />
      <FormHelperText>
        {error ? `Could not list control planes: ${errorMessage(error)}` : schema.description}
      </FormHelperText>
    </FormControl>
  );
}
