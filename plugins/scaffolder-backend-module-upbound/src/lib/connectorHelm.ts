import type { ConnectorChart } from './connectorChart';

/** Quotes a shell word unless it is plainly safe. */
function sh(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `helm upgrade --install` command for the connector chart (what `up ctp connector install`
 * runs, plus `--upgrade` so re-running is safe). The token is never in the command or the values
 * file: with `tokenPath` it is read from the file named by `$UPBOUND_TOKEN_FILE` at run time.
 */
export function connectorHelmCommand(options: {
  chart: ConnectorChart;
  releaseName: string;
  namespace: string;
  valuesFile: string;
  tokenPath?: string;
}): string {
  const { chart, releaseName, namespace, valuesFile, tokenPath } = options;
  const source =
    chart.kind === 'oci'
      ? [sh(chart.url)]
      : [sh(chart.chart), '--repo', sh(chart.url)];
  return [
    'helm upgrade --install',
    sh(releaseName),
    ...source,
    '--version',
    sh(chart.version),
    '--namespace',
    sh(namespace),
    '--create-namespace --wait',
    '-f',
    sh(valuesFile),
    ...(tokenPath
      ? [`--set-file ${tokenPath}="\${UPBOUND_TOKEN_FILE:?file holding the Upbound token}"`]
      : []),
  ].join(' ');
}
