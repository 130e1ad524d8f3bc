/*
 * Control planes for AI agents: the Backstage MCP actions backend of the example backend exposes
 * the Upbound actions as tools, and the official MCP TypeScript SDK client lists and calls them
 * against the local Space, as an allowed user, a user who may only read, and a denied user.
 */
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { describeIfLocalSpace, getLocalSpace } from '@internal/local-space';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import upboundPlugin from '@upbound-backstage/plugin-upbound-backend';

jest.setTimeout(120_000);

const ALLOWED = 'user:default/alice';
const READER = 'user:default/rita';
const DENIED = 'user:default/mallory';

/**
 * The permission decisions of this test: everyone may do everything, except one user who may
 * only read control planes and one who may do nothing with them. They are made per calling user,
 * from the credentials each check passes, so every check runs as the caller.
 */
function decide(name: string, credentials: any): AuthorizeResult {
  const who = credentials?.principal?.userEntityRef;
  if (!name.startsWith('upbound.')) return AuthorizeResult.ALLOW;
  if (who === DENIED) return AuthorizeResult.DENY;
  if (who === READER && name !== 'upbound.controlplane.read')
    return AuthorizeResult.DENY;
  return AuthorizeResult.ALLOW;
}

const permissions = mockServices.permissions.mock({
  authorize: async (requests: any[], options: any) =>
    requests.map(r => ({
      result: decide(r.permission.name, options?.credentials),
    })),
  authorizeConditional: async (requests: any[], options: any) =>
    requests.map(r => ({
      result: decide(r.permission.name, options?.credentials),
    })),
} as any);

describeIfLocalSpace(
  'control plane tools through the MCP actions backend',
  () => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    const clients: Client[] = [];

    beforeAll(async () => {
      const space = getLocalSpace()!;
      backend = await startTestBackend({
        features: [
          mcpActionsPlugin,
          upboundPlugin,
          permissions.factory,
          actionsRegistryServiceFactory,
          actionsServiceFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: { actions: { pluginSources: ['upbound'] } },
              upbound: {
                spaces: [
                  {
                    name: space.state.spaceName,
                    hub: { kubeconfigPath: space.state.hub.kubeconfigPath },
                  },
                ],
              },
            },
          }),
        ],
      });
    });

    afterAll(async () => {
      for (const c of clients) await c.close();
      await backend?.stop();
    });

    async function connect(user: string): Promise<Client> {
      const { port } = backend.server.address() as { port: number };
      const client = new Client({
        name: 'upbound-test-agent',
        version: '1.0.0',
      });
      await client.connect(
        new StreamableHTTPClientTransport(
          new URL(`http://127.0.0.1:${port}/api/mcp-actions/v1`),
          {
            requestInit: {
              headers: { Authorization: mockCredentials.user.header(user) },
            },
          },
        ),
      );
      clients.push(client);
      return client;
    }

    const json = (result: any) => {
      const text = result.content?.find((c: any) => c.type === 'text')?.text;
      return JSON.parse(text);
    };

    it('lists the control plane tools, named without "MCP"', async () => {
      const client = await connect(ALLOWED);
      const { tools } = await client.listTools();
      const names = tools.map(t => t.name).sort();
      expect(names).toEqual([
        'upbound.create-claim-dry-run',
        'upbound.get-claim-status',
        'upbound.get-gitops-status',
        'upbound.get-resource-graph-summary',
        'upbound.list-control-planes',
        'upbound.pause-claim',
        'upbound.reconcile-claim',
        'upbound.resume-claim',
      ]);
      for (const t of tools) {
        expect(`${t.name} ${t.description}`).not.toMatch(/\bMCPs?\b/);
      }
      const list = tools.find(t => t.name === 'upbound.list-control-planes')!;
      expect(list.annotations?.readOnlyHint).toBe(true);
      const graph = tools.find(
        t => t.name === 'upbound.get-resource-graph-summary',
      )!;
      expect(Object.keys(graph.inputSchema.properties ?? {}).sort()).toEqual([
        'apiVersion',
        'controlPlaneId',
        'kind',
        'name',
        'namespace',
      ]);
    });

    it('runs tools as an allowed user: control planes, GitOps status and a claim dry run', async () => {
      const client = await connect(ALLOWED);
      const listed = json(
        await client.callTool({
          name: 'upbound.list-control-planes',
          arguments: {},
        }),
      );
      const dev = listed.controlPlanes.find(
        (c: any) => c.group === 'platform' && c.name === 'dev',
      );
      expect(dev).toMatchObject({ source: 'space', ready: { state: 'True' } });
      expect(dev.claimCount).toBeGreaterThan(0);
      // The not-ready control plane is named with its state, never hidden.
      expect(
        listed.controlPlanes.find((c: any) => c.name === 'staging').ready.state,
      ).toBe('False');
      expect(JSON.stringify(listed)).not.toMatch(/bearer|BEGIN CERTIFICATE/i);

      const gitops = json(
        await client.callTool({
          name: 'upbound.get-gitops-status',
          arguments: { controlPlaneId: dev.id },
        }),
      );
      expect(Array.isArray(gitops.argocd)).toBe(true);
      expect(Array.isArray(gitops.flux)).toBe(true);

      const dryRun = await client.callTool({
        name: 'upbound.create-claim-dry-run',
        arguments: {
          controlPlaneId: dev.id,
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'PostgreSQLInstance',
          namespace: 'default',
          name: 'agent-dry-run',
          spec: { parameters: { storageGB: 20 } },
        },
      });
      expect(dryRun.isError).toBeFalsy();
      expect(json(dryRun)).toMatchObject({
        valid: true,
        object: {
          kind: 'PostgreSQLInstance',
          metadata: { name: 'agent-dry-run' },
        },
      });
      // The resource graph of a claim, with the path to what fails.
      const graph = json(
        await client.callTool({
          name: 'upbound.get-resource-graph-summary',
          arguments: {
            controlPlaneId: dev.id,
            apiVersion: 'storage.example.org/v1alpha1',
            kind: 'Bucket',
            namespace: 'web',
            name: 'assets',
          },
        }),
      );
      expect(graph.root).toMatchObject({
        role: 'claim',
        kind: 'Bucket',
        name: 'assets',
      });
      expect(graph.nodeCount).toBeGreaterThan(1);
      expect(graph.failingPath.length > 0).toBe(graph.failingCount > 0);
      // The path starts at the claim whenever anything fails.
      const firstOnPath = graph.failingPath
        .slice(0, 1)
        .map((n: any) => `${n.kind}/${n.name}`);
      expect(firstOnPath).toEqual(
        graph.failingCount > 0 ? ['Bucket/assets'] : [],
      );

      // A dry run creates nothing.
      const status = await client.callTool({
        name: 'upbound.get-claim-status',
        arguments: {
          controlPlaneId: dev.id,
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'PostgreSQLInstance',
          namespace: 'default',
          name: 'agent-dry-run',
        },
      });
      expect(status.isError).toBe(true);
    });

    it('checks each call as the routes do: a user who may read control planes may not reconcile or create', async () => {
      const client = await connect(READER);
      const { tools } = await client.listTools();
      expect(tools.map(t => t.name)).toContain('upbound.reconcile-claim');
      const listed = json(
        await client.callTool({
          name: 'upbound.list-control-planes',
          arguments: {},
        }),
      );
      expect(listed.controlPlanes.length).toBeGreaterThan(0);
      const coordinates = {
        controlPlaneId: 'space/local/platform/dev',
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'PostgreSQLInstance',
        namespace: 'default',
        name: 'agent-dry-run',
      };
      const reconcile = await client.callTool({
        name: 'upbound.reconcile-claim',
        arguments: coordinates,
      });
      expect(reconcile.isError).toBe(true);
      expect(JSON.stringify(reconcile.content)).toMatch(/not allowed/i);
      const dryRun = await client.callTool({
        name: 'upbound.create-claim-dry-run',
        arguments: { ...coordinates, spec: {} },
      });
      expect(dryRun.isError).toBe(true);
      expect(JSON.stringify(dryRun.content)).toMatch(
        /not allowed: upbound\.claim\.create/i,
      );
    });

    it('refuses a denied user: no control plane tools listed, and calls fail before any cluster call', async () => {
      const client = await connect(DENIED);
      const { tools } = await client.listTools();
      // Tools whose visibility permission is denied are not offered at all.
      expect(tools.filter(t => t.name.startsWith('upbound.'))).toEqual([]);
      const result = await client.callTool({
        name: 'upbound.reconcile-claim',
        arguments: {
          controlPlaneId: 'space/local/platform/dev',
          apiVersion: 'database.example.org/v1alpha1',
          kind: 'PostgreSQLInstance',
          namespace: 'payments',
          name: 'orders-db',
        },
      });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toMatch(/not found|not allowed/i);
    });
  },
);
