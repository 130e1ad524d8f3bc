// An ES module scope of its own (package.json "type": "module" beside this file) and no relative imports:
// Node's type stripping loads this file as it is, so the local Space's CLI names connector claims with the
// same function as the plugins instead of a copy.
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/**
 * The name under which the MCP Connector stores an app cluster's claim (or namespaced XR) in the
 * control plane: `claim-`/`nxr-` + the first 16 hex characters of sha256(`<name>-x-<ns>-x-<clusterID>`).
 * @public
 */
export function connectorObjectName(
  name: string,
  namespace: string,
  clusterId: string,
  type: 'claim' | 'composite' = 'claim',
): string {
  const prefix = type === 'claim' ? 'claim-' : 'nxr-';
  const hash = bytesToHex(
    sha256(utf8ToBytes(`${name}-x-${namespace}-x-${clusterId}`)),
  );
  return `${prefix}${hash.slice(0, 16)}`;
}
