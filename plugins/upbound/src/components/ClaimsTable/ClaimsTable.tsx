import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Link, ResponseErrorPanel, Table, TableColumn } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  claimEntityName,
  type ClaimApi,
  type ClaimListQuery,
  type ClaimSummary,
  type ConditionState,
  type ControlPlaneSummary,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../api';
import { originLabel, originObjectTitle } from '../../lib/gitops';
import { age } from '../../lib/time';
import { ClusterErrorsPanel } from '../ClusterErrorsPanel';
import { ConditionStatus } from '../ConditionStatus';
import { TruncatedText } from '../TruncatedText';

const PAGE_SIZE = 50;
/** Names up to 253 characters are cut here (full name on hover, copy button), so no column moves. */
const NAME_WIDTH = '26ch';
const NAMESPACE_WIDTH = '12ch';
const COMPOSITION_WIDTH = '12ch';
/** Short values that must stay on one line. */
const ONE_LINE = { whiteSpace: 'nowrap' } as const;

interface Row extends ClaimSummary {
  id: string;
}

function NameCell({ claim, controlPlane }: { claim: ClaimSummary; controlPlane: ControlPlaneSummary }) {
  const entityRoute = useRouteRef(entityRouteRef);
  const name = claimEntityName({ ...claim, controlPlaneName: controlPlane.name });
  // A connector claim by the names its app team knows; the control plane object name
  // (`claim-<hash>`) is the secondary line.
  const appName = claim.connector?.appName;
  const shown = appName
    ? `${claim.connector?.appNamespace ? `${claim.connector.appNamespace}/` : ''}${appName}`
    : claim.name;
  const secondary = [
    claim.kind,
    ...(appName ? [`stored as ${claim.name}`] : []),
    ...(claim.createdAt ? [`${age(claim.createdAt)} old`] : []),
  ].join(' · ');
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 6 }}>
        <TruncatedText text={shown} maxWidth={NAME_WIDTH} copy what="claim name">
          <Link to={entityRoute({ kind: 'resource', namespace: 'default', name })}>{shown}</Link>
        </TruncatedText>
        {claim.paused && <Chip size="small" label="Paused" />}
      </Box>
      {/* Kind and age under the name: two columns fewer, so the table fits 1280 px wide. */}
      <Typography variant="body2" color="textSecondary" component="div">
        <TruncatedText text={secondary} maxWidth={NAME_WIDTH} />
      </Typography>
    </>
  );
}

/** Props of {@link ClaimsTable}. @public */
export interface ClaimsTableProps {
  controlPlane: ControlPlaneSummary;
  claimApis: ClaimApi[];
}

/** A control plane's claims and namespaced XRs, filtered server-side by API, namespace and state. @public */
export function ClaimsTable(props: ClaimsTableProps) {
  const { controlPlane, claimApis } = props;
  const api = useApi(upboundApiRef);
  const [filters, setFilters] = useState<ClaimListQuery>({});
  const [pages, setPages] = useState<ClaimSummary[][]>([]);
  const [cursor, setCursor] = useState<string | undefined>();

  const first = useAsyncRetry(async () => {
    const list = await api.listClaims(controlPlane.id, { ...filters, limit: PAGE_SIZE });
    setPages([]);
    setCursor(list.nextCursor);
    return list;
  }, [api, controlPlane.id, filters]);

  // The connector labels claims with the app cluster's id; show the configured name instead.
  const appClusters = useAsync(async () => api.listAppClusters(), [api]);
  const clusterName = (id: string) =>
    appClusters.value?.items.find(c => c.clusterId === id)?.name ?? id;

  const loadMore = async () => {
    if (!cursor) return;
    const next = await api.listClaims(controlPlane.id, { ...filters, limit: PAGE_SIZE, cursor });
    setPages(p => [...p, next.items]);
    setCursor(next.nextCursor);
  };

  const columns: TableColumn<Row>[] = [
    {
      title: 'Name',
      highlight: true,
      cellStyle: ONE_LINE,
      render: c => <NameCell claim={c} controlPlane={controlPlane} />,
      // A connector claim is found by its app cluster namespace/name as well as by its control plane name.
      customFilterAndSearch: (term: string, c: Row) => {
        const app = c.connector;
        const names = [
          c.name,
          c.namespace ? `${c.namespace}/${c.name}` : undefined,
          app?.appName ? `${app.appNamespace ? `${app.appNamespace}/` : ''}${app.appName}` : undefined,
        ];
        const needle = term.toLowerCase();
        return names.some(n => n?.toLowerCase().includes(needle));
      },
    },
    {
      title: 'Namespace',
      field: 'namespace',
      render: c =>
        c.namespace ? <TruncatedText text={c.namespace} maxWidth={NAMESPACE_WIDTH} /> : '–',
    },
    {
      // Ready and Synced share a column, one line each, so the table fits 1280 px wide.
      title: 'Ready / Synced',
      cellStyle: ONE_LINE,
      render: c => (
        <>
          <ConditionStatus type="Ready" condition={c.ready} hideType />
          <div>
            <ConditionStatus type="Synced" condition={c.synced} hideType />
          </div>
        </>
      ),
    },
    {
      title: 'Composition',
      field: 'compositionName',
      render: c =>
        c.compositionName ? (
          <TruncatedText text={c.compositionName} maxWidth={COMPOSITION_WIDTH} />
        ) : (
          '–'
        ),
    },
    {
      // How the claim reached the control plane: from Git through Argo CD or Flux, or from an
      // app cluster through the MCP Connector.
      title: 'Delivered by',
      render: c =>
        c.gitops || c.connector ? (
          <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
            {c.gitops && (
              <Chip
                size="small"
                variant="outlined"
                label={originLabel(c.gitops)}
                title={originObjectTitle(c.gitops)}
                style={{ maxWidth: 240 }}
              />
            )}
            {c.connector && (
              <Chip
                size="small"
                variant="outlined"
                label={`${clusterName(c.connector.appCluster)}${c.connector.appNamespace ? `/${c.connector.appNamespace}` : ''}`}
                title="MCP Connector, from an app cluster"
              />
            )}
          </Box>
        ) : (
          '–'
        ),
    },
  ];

  const items = [...(first.value?.items ?? []), ...pages.flat()];
  const stateSelect = (key: 'ready' | 'synced', label: string) => (
    <TextField
      select
      id={`upbound-claims-${key}`}
      label={label}
      size="small"
      variant="outlined"
      style={{ minWidth: 120 }}
      value={filters[key] ?? ''}
      onChange={e =>
        setFilters({ ...filters, [key]: (e.target.value || undefined) as ConditionState | undefined })
      }
    >
      <MenuItem value="">Any</MenuItem>
      <MenuItem value="True">True</MenuItem>
      <MenuItem value="False">False</MenuItem>
      <MenuItem value="Unknown">Unknown</MenuItem>
    </TextField>
  );

  return (
    <>
      <Box display="flex" flexWrap="wrap" style={{ gap: 12 }} mb={2}>
        <TextField
          select
          id="upbound-claims-api"
          label="Claim API"
          size="small"
          variant="outlined"
          style={{ minWidth: 220 }}
          value={filters.api ?? ''}
          onChange={e => setFilters({ ...filters, api: e.target.value || undefined })}
        >
          <MenuItem value="">All</MenuItem>
          {claimApis.map(a => (
            <MenuItem key={a.name} value={`${a.group}/${a.claimKind ?? a.kind}`}>
              {a.claimKind ?? a.kind} ({a.group})
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="upbound-claims-namespace"
          label="Namespace"
          size="small"
          variant="outlined"
          defaultValue=""
          onBlur={e => setFilters({ ...filters, namespace: e.target.value || undefined })}
          onKeyDown={e => {
            if (e.key === 'Enter') {
              const value = (e.target as HTMLInputElement).value;
              setFilters({ ...filters, namespace: value || undefined });
            }
          }}
        />
        {stateSelect('ready', 'Ready')}
        {stateSelect('synced', 'Synced')}
      </Box>
      {first.error ? (
        <ResponseErrorPanel error={first.error} />
      ) : (
        <>
          <ClusterErrorsPanel errors={first.value?.errors} subject="claim types" />
          <Table<Row>
            title="Claims"
            subtitle={first.value ? `${first.value.totalCount} in total` : undefined}
            isLoading={first.loading}
            options={{ paging: false, padding: 'dense', search: true }}
            columns={columns}
            data={items.map(c => ({ ...c, id: `${c.apiVersion}/${c.kind}/${c.namespace}/${c.name}` }))}
            emptyContent={<div style={{ padding: 16 }}>No claims match the filters.</div>}
          />
          {cursor && (
            <Box mt={1} display="flex" justifyContent="center">
              <Button onClick={loadMore}>Load more</Button>
            </Box>
          )}
        </>
      )}
    </>
  );
}
