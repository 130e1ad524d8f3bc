/** Field manager of every server-side apply made by the Upbound scaffolder actions. @public */
export const UPBOUND_FIELD_MANAGER = 'backstage-upbound';

/** Label put on every object the actions create, so later runs (and uninstall) recognise them. @public */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/** Value of {@link MANAGED_BY_LABEL} on objects the actions create. @public */
export const MANAGED_BY_VALUE = 'backstage-upbound';

/** Default chart of the MCP Connector (OCI). */
export const CONNECTOR_CHART_URL = 'oci://xpkg.upbound.io/spaces-artifacts/mcp-connector';

/** The seed's classic Helm repository (`helm repo add upbound-beta ...`); charts before 0.7 (0.7.0 is OCI-only). */
export const CONNECTOR_SEED_CHART_REPOSITORY = 'https://charts.upbound.io/beta';

/** Release name the `up` CLI and the docs use for the MCP Connector. */
export const CONNECTOR_RELEASE_NAME = 'mcp-connector';

/** Chart version used when none is given (newest in the release notes we know of). */
export const CONNECTOR_DEFAULT_CHART_VERSION = '0.10.0';

/** Limits on claim parameters given by a user: keep a template from feeding huge or deep documents. */
export const PARAMETERS_MAX_BYTES = 256 * 1024;
export const PARAMETERS_MAX_DEPTH = 32;
/** YAML alias expansions allowed while parsing parameters (YAML bombs fail fast). */
export const PARAMETERS_MAX_ALIASES = 50;
