import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StatusError,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import type {
  ConnectorConnection,
  ConnectorInstall,
} from '@upbound-backstage/plugin-upbound-common';
import { upboundApiRef } from '../../api';
import { ClusterErrorsPanel } from '../ClusterErrorsPanel';
import { ConditionStatus } from '../ConditionStatus';

interface Row extends ConnectorConnection {
  id: string;
}

/** `helm release kube-system/mcp-connector 0.6.0 (deployed, by hand)`. */
export function installLabel(i: ConnectorInstall): string {
  const what = i.via === 'helm' ? 'Helm release' : 'Flux HelmRelease';
  let origin = 'not by Backstage';
  if (i.managedByBackstage) origin = 'by Backstage';
  else if (i.via === 'helm') origin = 'installed with up or helm';
  const details = [i.status, origin].filter(Boolean).join(', ');
  return `${what} ${i.namespace}/${i.releaseName}${i.chartVersion ? ` ${i.chartVersion}` : ''} (${details})`;
}

/** Where the scaffolder is mounted in the app (its default route). */
const SCAFFOLDER_PATH = '/create';
const DISCONNECT_TEMPLATE = 'upbound-disconnect-app-cluster';

/**
 * The disconnect template, filled in for one install: the scaffolder reads `formData` from the query, and the
 * task then lists exactly what it deletes (claims stay in the control plane).
 */
export function disconnectLink(controlPlaneId: string, c: ConnectorConnection, i: ConnectorInstall): string {
  const formData = {
    appCluster: c.appCluster,
    controlPlane: controlPlaneId,
    claimNamespace: i.claimNamespace ?? c.claimNamespaces[0],
    releaseName: i.releaseName,
    // A Helm release lives in the connector's namespace; a Flux HelmRelease installs into kube-system by default.
    installationNamespace: i.via === 'helm' ? i.namespace : 'kube-system',
    helmRelease: i.via === 'helm' && !i.managedByBackstage,
  };
  return `${SCAFFOLDER_PATH}/templates/default/${DISCONNECT_TEMPLATE}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

const columns = (controlPlaneId: string): TableColumn<Row>[] => [
  {
    title: 'App cluster',
    highlight: true,
    render: c => c.appCluster ?? `unknown (${c.clusterId})`,
  },
  {
    title: 'Claim namespace',
    render: c => c.claimNamespaces.join(', ') || '–',
  },
  { title: 'Claims', field: 'claimCount', type: 'numeric', align: 'left' },
  {
    // A connector shows up as soon as it is installed, also when installed by hand.
    title: 'Connector',
    render: c =>
      c.installs?.length ? (
        <Box display="flex" flexDirection="column">
          {c.installs.map(i => (
            <span key={`${i.via}/${i.namespace}/${i.releaseName}`}>
              <span>{installLabel(i)}</span>
              {c.appCluster ? (
                <>
                  {' · '}
                  <Link
                    to={disconnectLink(controlPlaneId, c, i)}
                    title="Opens the disconnect template; its task lists exactly what it deletes. Claims stay in the control plane."
                  >
                    Uninstall…
                  </Link>
                </>
              ) : null}
            </span>
          ))}
        </Box>
      ) : (
        '–'
      ),
  },
  {
    title: 'APIServices',
    render: c => (
      <Box display="flex" flexDirection="column">
        {c.apiServices.map(s => (
          <ConditionStatus
            key={s.name}
            type={`${s.name} (${s.claimCount} ${s.claimCount === 1 ? 'claim' : 'claims'})`}
            condition={s.available}
          />
        ))}
        {(c.missingApiServices ?? []).map(name => (
          <StatusError key={name}>{name}: no APIService</StatusError>
        ))}
      </Box>
    ),
  },
];

/** App clusters connected to a control plane through the MCP Connector. @public */
export function ConnectionsCard(props: { controlPlaneId: string }) {
  const api = useApi(upboundApiRef);
  const { value, loading, error } = useAsyncRetry(
    () => api.getConnections(props.controlPlaneId),
    [api, props.controlPlaneId],
  );
  if (loading)
    return (
      <InfoCard title="Connected app clusters">
        <Progress />
      </InfoCard>
    );
  if (error)
    return (
      <ResponseErrorPanel error={error} title="Could not read connections" />
    );
  const rows = (value?.connections ?? []).map(c => ({ ...c, id: c.clusterId }));
  return (
    <>
      <ClusterErrorsPanel
        errors={value?.errors}
        subject="control planes or app clusters"
      />
      {rows.length === 0 ? (
        <InfoCard title="Connected app clusters">
          <EmptyState
            missing="data"
            title="No app clusters connected"
            description="Connect an app cluster with the MCP Connector template to consume this control plane's claim APIs from it."
          />
        </InfoCard>
      ) : (
        <Table<Row>
          title="Connected app clusters"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={columns(props.controlPlaneId)}
          data={rows}
        />
      )}
    </>
  );
}
