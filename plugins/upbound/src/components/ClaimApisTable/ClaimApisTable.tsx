import { StatusOK, Table, TableColumn } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type { ClaimApi } from '@upbound-backstage/plugin-upbound-common';
import { ConditionStatus } from '../ConditionStatus';
import { TruncatedText } from '../TruncatedText';

interface Row extends ClaimApi {
  id: string;
}

const columns: TableColumn<Row>[] = [
  {
    title: 'API',
    highlight: true,
    render: a => {
      const groupVersion = `${a.group}/${
        a.referenceableVersion ??
        a.versions.find(v => v.referenceable)?.name ??
        '–'
      }`;
      return (
        <>
          <TruncatedText text={a.claimKind ?? a.kind} maxWidth="28ch">
            <b>{a.claimKind ?? a.kind}</b>
          </TruncatedText>
          <Typography variant="body2" color="textSecondary" component="div">
            <TruncatedText text={groupVersion} maxWidth="28ch" />
          </Typography>
        </>
      );
    },
    customFilterAndSearch: (term, a) =>
      `${a.claimKind ?? ''} ${a.kind} ${a.group}`
        .toLowerCase()
        .includes(String(term).toLowerCase()),
  },
  {
    title: 'Type',
    cellStyle: { whiteSpace: 'nowrap' },
    render: a =>
      a.claimKind ? (
        <Chip size="small" variant="outlined" label={`Claim → ${a.kind}`} />
      ) : (
        <Chip size="small" variant="outlined" label={`${a.scope} XR`} />
      ),
  },
  {
    title: 'Default composition',
    field: 'defaultCompositionRef',
    render: a =>
      a.defaultCompositionRef ? (
        <TruncatedText text={a.defaultCompositionRef} maxWidth="22ch" />
      ) : (
        '–'
      ),
  },
  {
    title: 'Status',
    cellStyle: { whiteSpace: 'nowrap' },
    // Established XRDs all say so; only the others need their reason. A claim that is not
    // Offered cannot be created either, so it says so too.
    render: a => {
      if (a.established?.state !== 'True') {
        return <ConditionStatus type="Established" condition={a.established} />;
      }
      if (a.claimKind && a.offered && a.offered.state !== 'True') {
        return <ConditionStatus type="Offered" condition={a.offered} />;
      }
      return <StatusOK>Established</StatusOK>;
    },
  },
];

/** Props of {@link ClaimApisTable}. @public */
export interface ClaimApisTableProps {
  claimApis: ClaimApi[];
  /** Set when the claim APIs could not be read: the error type (`unreachable`, say). */
  error?: string;
}

/** The claim APIs (XRDs) a control plane serves. @public */
export function ClaimApisTable(props: ClaimApisTableProps) {
  const empty = props.error
    ? `The claim APIs could not be read (${props.error}); they show again once the control plane answers.`
    : 'This control plane serves no claim APIs: it has no CompositeResourceDefinition yet. Install a configuration or apply an XRD to offer one.';
  return (
    <Table<Row>
      title="Claim APIs"
      subtitle={
        props.error
          ? 'Could not be read'
          : `${props.claimApis.length} API${
              props.claimApis.length === 1 ? '' : 's'
            }`
      }
      options={{
        paging: props.claimApis.length > 10,
        pageSize: 10,
        padding: 'dense',
      }}
      columns={columns}
      data={props.claimApis.map(a => ({ ...a, id: a.name }))}
      emptyContent={<div style={{ padding: 16 }}>{empty}</div>}
    />
  );
}
