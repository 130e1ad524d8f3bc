import { StatusOK, Table, TableColumn } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import { ConditionStatus } from '../ConditionStatus';

interface Row extends ClaimApi {
  id: string;
}

const columns: TableColumn<Row>[] = [
  {
    title: 'API',
    highlight: true,
    render: a => (
      <>
        <b>{a.claimKind ?? a.kind}</b>
        <Typography variant="body2" color="textSecondary" style={{ whiteSpace: 'nowrap' }}>
          {a.group}/{a.referenceableVersion ?? a.versions.find(v => v.referenceable)?.name ?? '–'}
        </Typography>
      </>
    ),
    customFilterAndSearch: (term, a) =>
      `${a.claimKind ?? ''} ${a.kind} ${a.group}`.toLowerCase().includes(String(term).toLowerCase()),
  },
  {
    title: 'Type',
    render: a =>
      a.claimKind ? (
        <Chip size="small" variant="outlined" label={`Claim → ${a.kind}`} />
      ) : (
        <Chip size="small" variant="outlined" label={`${a.scope} XR`} />
      ),
  },
  { title: 'Default composition', field: 'defaultCompositionRef', emptyValue: '–' },
  {
    title: 'Status',
    cellStyle: { whiteSpace: 'nowrap' },
    // Established XRDs all say so; only the others need their reason.
    render: a =>
      a.established?.state === 'True' ? (
        <StatusOK>Established</StatusOK>
      ) : (
        <ConditionStatus type="Established" condition={a.established} />
      ),
  },
];

/** The claim APIs (XRDs) a control plane serves. @public */
export function ClaimApisTable(props: { claimApis: ClaimApi[] }) {
  return (
    <Table<Row>
      title="Claim APIs"
      subtitle={`${props.claimApis.length} API${props.claimApis.length === 1 ? '' : 's'}`}
      options={{ paging: props.claimApis.length > 10, pageSize: 10, padding: 'dense' }}
      columns={columns}
      data={props.claimApis.map(a => ({ ...a, id: a.name }))}
      emptyContent={<div style={{ padding: 16 }}>This control plane serves no claim APIs yet.</div>}
    />
  );
}
