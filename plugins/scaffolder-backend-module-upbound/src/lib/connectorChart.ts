import { InputError } from '@backstage/errors';
import { CONNECTOR_CHART_URL, CONNECTOR_SEED_CHART_REPOSITORY } from './constants';

/**
 * Where the mcp-connector chart comes from: an OCI chart (`oci://host/path/chart`, what `up` and the
 * current docs use) or a classic HTTP Helm repository plus a chart name (the seed's `upbound-beta`
 * repository, `https://charts.upbound.io/beta`).
 */
export interface ConnectorChart {
  kind: 'oci' | 'http';
  /** `oci://host/path/chart`, or the HTTP repository URL. */
  url: string;
  /** Argo CD `repoURL`: `host/path` for OCI (no scheme, no chart), the URL for HTTP. */
  argoRepoUrl: string;
  chart: string;
  version: string;
  /** One of Upbound's own chart locations (a named credential may go only to those). */
  upbound: boolean;
}

/** Repository aliases people copy from the seed (`helm repo add upbound-beta ...`). */
const ALIASES: Record<string, string> = {
  'upbound-beta': CONNECTOR_SEED_CHART_REPOSITORY,
};

/** Parses `chartUrl` (+ `chart` for HTTP repositories); InputError naming the field otherwise. */
export function parseConnectorChart(options: {
  chartUrl: string;
  chart?: string;
  version: string;
}): ConnectorChart {
  const { version } = options;
  let chartUrl = options.chartUrl.trim();
  let chart = options.chart;
  // `upbound-beta/mcp-connector`, the seed's `helm install` argument.
  const alias = /^([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(chartUrl);
  if (alias && ALIASES[alias[1]]) {
    chartUrl = ALIASES[alias[1]];
    chart = alias[2] ?? chart;
  }
  let url: URL;
  try {
    url = new URL(chartUrl);
  } catch {
    throw invalid(chartUrl);
  }
  if (url.search || url.hash || url.username || url.password) throw invalid(chartUrl);
  if (url.protocol === 'oci:') {
    const parts = `${url.host}${url.pathname}`.replace(/\/+$/, '').split('/');
    if (parts.length < 2) throw invalid(chartUrl);
    const name = parts.pop()!;
    return {
      kind: 'oci',
      url: `oci://${[...parts, name].join('/')}`,
      argoRepoUrl: parts.join('/'),
      chart: name,
      version,
      upbound: `oci://${[...parts, name].join('/')}` === CONNECTOR_CHART_URL,
    };
  }
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    const name = chart ?? 'mcp-connector';
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      throw new InputError(`Invalid chart '${name}': expected a chart name like mcp-connector`);
    }
    const repo = url.toString().replace(/\/+$/, '');
    return {
      kind: 'http',
      url: repo,
      argoRepoUrl: repo,
      chart: name,
      version,
      upbound: repo === CONNECTOR_SEED_CHART_REPOSITORY && name === 'mcp-connector',
    };
  }
  throw invalid(chartUrl);
}

function invalid(chartUrl: string) {
  return new InputError(
    `Invalid chartUrl '${chartUrl}': expected an OCI chart (oci://host/path/mcp-connector), an HTTP Helm repository (https://charts.upbound.io/beta with chart mcp-connector) or upbound-beta/mcp-connector`,
  );
}
