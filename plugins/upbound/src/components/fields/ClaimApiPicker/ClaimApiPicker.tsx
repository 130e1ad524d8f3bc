import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { claimApiUnavailable } from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../../api';
import { errorMessage } from '../../../lib/errorMessage';
import { claimApiValue, specFields } from './schemaSummary';

/** Value of the `UpboundClaimApiPicker` field. @public */
export interface ClaimApiPickerValue {
  apiVersion: string;
  kind: string;
}

/** `ui:options` of the `UpboundClaimApiPicker` field. @public */
export interface ClaimApiPickerUiOptions {
  /** Sibling field holding the control plane id; default `controlPlane`. */
  controlPlaneField?: string;
}

const keyOf = (v?: ClaimApiPickerValue) => (v?.apiVersion && v?.kind ? `${v.apiVersion}|${v.kind}` : '');

/**
 * Scaffolder field `UpboundClaimApiPicker`: picks one of the chosen control plane's claim APIs
 * and shows the fields of its spec schema.
 * @public
 */
export function ClaimApiPicker(
  props: FieldExtensionComponentProps<ClaimApiPickerValue, ClaimApiPickerUiOptions>,
) {
  const { formData, onChange, required, rawErrors, schema, uiSchema, formContext, idSchema } = props;
  const field = uiSchema?.['ui:options']?.controlPlaneField ?? 'controlPlane';
  const controlPlaneId = (formContext?.formData as Record<string, unknown> | undefined)?.[field] as
    | string
    | undefined;
  const api = useApi(upboundApiRef);
  const { value, loading, error } = useAsync(
    async () => (controlPlaneId ? api.listClaimApis(controlPlaneId) : undefined),
    [api, controlPlaneId],
  );
  const apis = value?.items ?? [];
  const selected = apis.find(a => keyOf(claimApiValue(a)) === keyOf(formData));
  const fields = selected ? specFields(selected) : [];

  let helper: string | undefined = schema.description;
  if (!controlPlaneId) helper = 'Choose a control plane first.';
  else if (error) helper = `Could not list claim APIs: ${errorMessage(error)}`;
  else if (!loading && apis.length === 0) helper = 'This control plane serves no claim APIs.';
  else if (selected && claimApiUnavailable(selected)) helper = `Cannot be created now: ${claimApiUnavailable(selected)}`;

  return (
    <FormControl margin="normal" required={required} error={!!rawErrors?.length || !!error} fullWidth>
      <TextField
        select
        id={idSchema?.$id ?? 'upbound-claim-api'}
        label={schema.title ?? 'Claim API'}
        required={required}
        variant="outlined"
        disabled={!controlPlaneId || loading}
        value={keyOf(formData) && selected ? keyOf(formData) : ''}
        onChange={e => {
          const chosen = apis.find(a => keyOf(claimApiValue(a)) === e.target.value);
          onChange(chosen ? claimApiValue(chosen) : undefined);
        }}
      >
        {apis.map(a => {
          const v = claimApiValue(a);
          // Shown with the reason, but not offered: creating it would fail (upbound:claim:create refuses it too).
          const unavailable = claimApiUnavailable(a);
          return (
            <MenuItem key={a.name} value={keyOf(v)} disabled={!!unavailable}>
              {v.kind} ({v.apiVersion}){unavailable ? ` — ${unavailable}` : ''}
            </MenuItem>
          );
        })}
      </TextField>
      <FormHelperText>{helper}</FormHelperText>
      {selected && (
        <Box mt={1}>
          <Typography variant="subtitle2">
            {selected.claimKind ? `Claim ${selected.claimKind} of ${selected.kind}` : `${selected.scope} ${selected.kind}`}
            {selected.defaultCompositionRef ? ` · default composition ${selected.defaultCompositionRef}` : ''}
          </Typography>
          {fields.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              The schema declares no spec fields.
            </Typography>
          ) : (
            <Table size="small" aria-label="Spec fields">
              <TableHead>
                <TableRow>
                  <TableCell>spec field</TableCell>
                  <TableCell>type</TableCell>
                  <TableCell>description</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {fields.map(f => (
                  <TableRow key={f.name}>
                    <TableCell>
                      <code>{f.name}</code>
                      {f.required ? ' *' : ''}
                    </TableCell>
                    <TableCell>
                      {f.type}
                      {f.enum ? `: ${f.enum.join(' | ')}` : ''}
                    </TableCell>
                    <TableCell>
                      {f.description ?? ''}
                      {f.default !== undefined ? ` (default ${JSON.stringify(f.default)})` : ''}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Box>
      )}
    </FormControl>
  );
}
