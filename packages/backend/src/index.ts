/*
 * Example Backstage backend with the Upbound plugins: catalog (with the Upbound entity providers),
 * scaffolder (with the Upbound actions), permissions, guest auth, search over the catalog.
 */
import { createBackend } from '@backstage/backend-defaults';
import { e2eUserAuth } from './modules/e2eUserAuth';
import { examplePermissionPolicy } from './modules/examplePermissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: guest sign-in for local use
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// a second sign-in, only when e2e config asks for it (auth.providers.e2eUser)
backend.add(e2eUserAuth);

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@upbound-backstage/plugin-catalog-backend-module-upbound'));

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@upbound-backstage/plugin-scaffolder-backend-module-upbound'),
);

// permissions: allow everything except Upbound for permission.exampleDeniedUsers; see SECURITY.md
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(examplePermissionPolicy);

// search over the catalog (in-memory engine)
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// Upbound control planes: REST API for the frontend plugin, and actions for AI agents
backend.add(import('@upbound-backstage/plugin-upbound-backend'));

// AI agents: the actions of the plugins listed in backend.actions.pluginSources as MCP tools,
// served at /api/mcp-actions/v1 and run as the calling user
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
