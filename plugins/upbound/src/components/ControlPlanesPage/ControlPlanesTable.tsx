import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import {
  controlPlaneEntityName,
  type ControlPlaneListItem,
} from '@upbound-backstage/plugin-upbound-common';
import { ConditionStatus } from '../ConditionStatus';
import { TruncatedText } from '../TruncatedText';
import { StatusError } from '@backstage/core-components';

interface Row {
  cp: ControlPlaneListItem;
  /** First row of its group in this table. */
  groupStart: boolean;
  id: string;
}

function NameCell({ cp }: { cp: ControlPlaneListItem }) {
  const entityRoute = useRouteRef(entityRouteRef);
  const href = entityRoute({
    kind: 'resource',
    namespace: 'default',
    name: controlPlaneEntityName(cp),
  });
  return (
    <Box display="flex" alignItems="center" style={{ gap: 4 }}>
      <TruncatedText text={cp.name} maxWidth="24ch">
        <Link to={href}>
          <b>{cp.name}</b>
        </Link>
      </TruncatedText>
      {cp.consoleUrl && (
        <Tooltip title="Open in the Upbound console">
          <Link
            to={cp.consoleUrl}
            aria-label={`Open ${cp.name} in the Upbound console`}
          >
            <OpenInNewIcon fontSize="inherit" />
          </Link>
        </Tooltip>
      )}
    </Box>
  );
}

function StatusCell({ cp }: { cp: ControlPlaneListItem }) {
  return (
    <div>
      <ConditionStatus type="Ready" condition={cp.ready} />
      {cp.healthy && (
        <div>
          <ConditionStatus
            type="Healthy"
            condition={cp.healthy}
            unknownAsWarning
          />
        </div>
      )}
      {cp.message && (
        <Typography variant="body2" color="textSecondary">
          {cp.message}
        </Typography>
      )}
      {cp.error && (
        <Tooltip title={cp.error.message}>
          <div>
            <StatusError>
              <span style={{ whiteSpace: 'nowrap' }}>
                API unreachable ({cp.error.type})
              </span>
            </StatusError>
          </div>
        </Tooltip>
      )}
      {cp.error && !cp.message && (
        // Without a status message from the Space, the error is all there is to say: show it.
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ wordBreak: 'break-word' }}
        >
          {cp.error.message}
        </Typography>
      )}
    </div>
  );
}

function ClaimsCell({ cp }: { cp: ControlPlaneListItem }) {
  if (!cp.counts) return <Typography color="textSecondary">–</Typography>;
  const { claimCount, failingClaimCount } = cp.counts;
  // Counts never wrap: the chip goes below the count when the column is narrow.
  return (
    <Box
      display="flex"
      alignItems="center"
      flexWrap="wrap"
      style={{ gap: 8, whiteSpace: 'nowrap' }}
    >
      <span style={{ fontVariantNumeric: 'tabular-nums' }}>{claimCount}</span>
      {failingClaimCount > 0 && (
        <Chip
          size="small"
          label={`${failingClaimCount} failing`}
          style={{ backgroundColor: '#d32f2f', color: '#fff' }}
        />
      )}
    </Box>
  );
}

const columns: TableColumn<Row>[] = [
  {
    title: 'Group',
    field: 'cp.group',
    width: '12%',
    render: row =>
      row.groupStart ? (
        <Chip size="small" variant="outlined" label={row.cp.group ?? '—'} />
      ) : null,
  },
  {
    title: 'Control plane',
    field: 'cp.name',
    highlight: true,
    render: row => <NameCell cp={row.cp} />,
  },
  { title: 'Status', width: '34%', render: row => <StatusCell cp={row.cp} /> },
  {
    title: 'Crossplane',
    field: 'cp.crossplaneVersion',
    render: row => row.cp.crossplaneVersion ?? '–',
  },
  {
    title: 'Claim APIs',
    type: 'numeric',
    align: 'left',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row => row.cp.counts?.claimApiCount ?? '–',
  },
  {
    title: 'Claims',
    cellStyle: { minWidth: 72 },
    render: row => <ClaimsCell cp={row.cp} />,
  },
  {
    title: 'App clusters',
    type: 'numeric',
    align: 'left',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row => row.cp.counts?.appClusterCount ?? '–',
  },
];

/** One Space's control planes, sorted and visually grouped by group. */
export function ControlPlanesTable(props: {
  title: string;
  items: ControlPlaneListItem[];
}) {
  const rows: Row[] = props.items.map((cp, i) => ({
    cp,
    id: cp.id,
    groupStart: i === 0 || props.items[i - 1].group !== cp.group,
  }));
  return (
    <Table<Row>
      title={props.title}
      subtitle={`${props.items.length} control plane${
        props.items.length === 1 ? '' : 's'
      }`}
      options={{
        search: false,
        paging: false,
        sorting: false,
        padding: 'dense',
      }}
      columns={columns}
      data={rows}
    />
  );
}
