import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { upboundApiRef } from '../../../api';
import { errorMessage } from '../../../lib/errorMessage';

/**
 * Scaffolder field `UpboundAppClusterPicker`: picks a configured app cluster; the value is its name.
 * @public
 */
export function AppClusterPicker(props: FieldExtensionComponentProps<string>) {
  const { formData, onChange, required, rawErrors, schema, idSchema } = props;
  const api = useApi(upboundApiRef);
  const { value, loading, error } = useAsync(() => api.listAppClusters(), [api]);
  const items = value?.items ?? [];
  let helper: string | undefined = schema.description;
  if (error) helper = `Could not list app clusters: ${errorMessage(error)}`;
  else if (!loading && items.length === 0) {
    helper = 'No app clusters are configured under upbound.appClusters.';
  }

  return (
    <FormControl margin="normal" required={required} error={!!rawErrors?.length || !!error} fullWidth>
      <TextField
        select
        id={idSchema?.$id ?? 'upbound-app-cluster'}
        label={schema.title ?? 'App cluster'}
        required={required}
        variant="outlined"
        value={formData ?? ''}
        disabled={loading}
        onChange={e => onChange(e.target.value || undefined)}
      >
        {items.map(c => (
          <MenuItem key={c.name} value={c.name}>
            {c.title ?? c.name}
            {c.source === 'kubernetes-plugin' ? ' (Kubernetes plugin)' : ''}
          </MenuItem>
        ))}
      </TextField>
      <FormHelperText>{helper}</FormHelperText>
    </FormControl>
  );
}
