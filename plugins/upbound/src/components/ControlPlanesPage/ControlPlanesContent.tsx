import { useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import InputAdornment from '@material-ui/core/InputAdornment';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';
import SearchIcon from '@material-ui/icons/Search';
import { upboundApiRef } from '../../api';
import { ClusterErrorsPanel } from '../ClusterErrorsPanel';
import { ControlPlanesTable } from './ControlPlanesTable';
import {
  ControlPlaneFilters,
  ControlPlaneStatusFilter,
  filterControlPlanes,
  groupBySpace,
  spaceKey,
} from './controlPlaneFilters';

const STATUS_OPTIONS: Array<{ value: ControlPlaneStatusFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'ready', label: 'Ready' },
  { value: 'not-ready', label: 'Not ready' },
  { value: 'unreachable', label: 'Unreachable' },
  { value: 'failing-claims', label: 'With failing claims' },
];

function sectionTitle(key: string): string {
  return key === 'direct' ? 'Direct control planes' : `Space: ${key}`;
}

/**
 * Every control plane, grouped by Space and group, with search and filters (no page chrome).
 * @public
 */
export function ControlPlanesContent() {
  const api = useApi(upboundApiRef);
  const { value, loading, error, retry } = useAsyncRetry(() => api.listControlPlanes(), [api]);
  const [filters, setFilters] = useState<ControlPlaneFilters>({
    search: '',
    status: 'all',
    space: 'all',
  });

  const spaces = useMemo(
    () => [...new Set((value?.items ?? []).map(spaceKey))].sort(),
    [value],
  );
  const sections = useMemo(
    () => groupBySpace(filterControlPlanes(value?.items ?? [], filters)),
    [value, filters],
  );

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  // Errors of control planes that are not in the list at all (e.g. a Space that failed discovery).
  const listed = new Set(value.items.map(i => i.id));
  const unreachable = [
    ...value.items.flatMap(i => (i.error ? [i.error] : [])),
    ...value.errors.filter(e => !listed.has(e.cluster)),
  ];

  return (
    <Grid container spacing={3} direction="column">
      {unreachable.length > 0 && (
        <Grid item>
          <ClusterErrorsPanel errors={unreachable} subject="control planes" />
        </Grid>
      )}
      {value.items.length === 0 ? (
        <Grid item>
          <EmptyState
            missing="data"
            title="No control planes found"
            description="Configure an Upbound organisation, a Space or a direct control plane under `upbound` in app-config.yaml."
          />
        </Grid>
      ) : (
        <>
          <Grid item>
            <Box display="flex" flexWrap="wrap" alignItems="center" style={{ gap: 16 }}>
              <TextField
                id="upbound-control-planes-search"
                label="Search"
                variant="outlined"
                size="small"
                value={filters.search}
                onChange={e => setFilters({ ...filters, search: e.target.value })}
                InputProps={{
                  startAdornment: (
                    <InputAdornment position="start">
                      <SearchIcon fontSize="small" />
                    </InputAdornment>
                  ),
                }}
              />
              <TextField
                select
                id="upbound-control-planes-status"
                label="Status"
                variant="outlined"
                size="small"
                style={{ minWidth: 180 }}
                value={filters.status}
                onChange={e =>
                  setFilters({ ...filters, status: e.target.value as ControlPlaneStatusFilter })
                }
              >
                {STATUS_OPTIONS.map(o => (
                  <MenuItem key={o.value} value={o.value}>
                    {o.label}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                id="upbound-control-planes-space"
                label="Space"
                variant="outlined"
                size="small"
                style={{ minWidth: 160 }}
                value={filters.space}
                onChange={e => setFilters({ ...filters, space: e.target.value })}
              >
                <MenuItem value="all">All</MenuItem>
                {spaces.map(s => (
                  <MenuItem key={s} value={s}>
                    {s === 'direct' ? 'Direct' : s}
                  </MenuItem>
                ))}
              </TextField>
              <Tooltip title="Refresh">
                <IconButton aria-label="Refresh" onClick={retry} size="small">
                  <RefreshIcon />
                </IconButton>
              </Tooltip>
            </Box>
          </Grid>
          {sections.length === 0 && (
            <Grid item>
              <EmptyState missing="data" title="No control planes match the filters" />
            </Grid>
          )}
          {sections.map(([key, items]) => (
            <Grid item key={key}>
              <ControlPlanesTable title={sectionTitle(key)} items={items} />
            </Grid>
          ))}
        </>
      )}
    </Grid>
  );
}
