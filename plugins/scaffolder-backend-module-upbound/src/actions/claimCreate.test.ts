import { createMockDirectory } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { claimEntityName, upboundClaimCreatePermission } from '@upbound-backstage/plugin-upbound-common';
import { resourceTypeOf } from '@upbound-backstage/plugin-upbound-node/testUtils';
import {
  createUpboundControlPlaneConditionalDecision,
  upboundControlPlaneConditions,
} from '@upbound-backstage/plugin-upbound-node';
import {
  actionContext,
  permissionsAnswering,
  permissionsDeciding,
} from '../__testUtils__/context';
import { CLAIM_APIS, CP_ID, createFakeUpbound } from '../__testUtils__/fakeUpbound';
import { createClaimCreateAction } from './claimCreate';

const baseInput = {
  controlPlane: CP_ID,
  apiVersion: 'database.example.org/v1alpha1',
  kind: 'PostgreSQLInstance',
  name: 'orders-db',
  namespace: 'team-a',
  parameters: { parameters: { storageGB: 20, version: '16' } },
};

function setup(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW) {
  const fake = createFakeUpbound();
  const permissions = permissionsAnswering(result);
  const action = createClaimCreateAction({ upbound: fake.service, permissions });
  return { ...fake, permissions, action };
}

describe('upbound:claim:create', () => {
  const mockDir = createMockDirectory();
  beforeEach(() => mockDir.clear());

  it('applies the claim with our field manager and outputs its coordinates', async () => {
    const { action, mcp, permissions } = setup();
    const { ctx, outputs } = actionContext(baseInput);
    await action.handler(ctx as any);

    expect(permissions.authorizeConditional).toHaveBeenCalledWith(
      [{ permission: upboundClaimCreatePermission }],
      expect.anything(),
    );
    const claim = mcp.all().find(o => o.kind === 'PostgreSQLInstance')!;
    expect(claim.metadata).toMatchObject({ name: 'orders-db', namespace: 'team-a' });
    expect(claim.metadata?.managedFields).toEqual([
      expect.objectContaining({ manager: 'backstage-upbound' }),
    ]);
    expect(claim.spec).toEqual({ parameters: { storageGB: 20, version: '16' } });
    expect(outputs).toEqual({
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      namespace: 'team-a',
      name: 'orders-db',
      controlPlane: CP_ID,
      entityRef: expect.stringMatching(/^resource:default\/ctp-a-team-a-orders-db-[0-9a-f]{8}$/),
    });
  });

  // Why: actions checked only basic permissions; a policy can now decide per namespace.
  it('applies a conditional decision to the control plane and namespace of the claim', async () => {
    const fake = createFakeUpbound();
    const permissions = permissionsDeciding(() =>
      createUpboundControlPlaneConditionalDecision(
        upboundClaimCreatePermission,
        upboundControlPlaneConditions.isInNamespace({ namespaces: ['team-a'] }),
      ),
    );
    const action = createClaimCreateAction({ upbound: fake.service, permissions });
    await expect(
      action.handler(actionContext({ ...baseInput, namespace: 'default' }).ctx as any),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(`'upbound.claim.create' was denied for ${CP_ID}#default`),
    });
    // No namespace means `default`, decided as such.
    const { namespace: _ns, ...noNamespace } = baseInput;
    await expect(action.handler(actionContext(noNamespace).ctx as any)).rejects.toThrow(/#default/);
    expect(fake.mcp.writes).toEqual([]);
    await action.handler(actionContext(baseInput).ctx as any);
    expect(fake.mcp.all().some(o => o.kind === 'PostgreSQLInstance')).toBe(true);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const { action, mcp } = setup();
    await action.handler(actionContext(baseInput).ctx as any);
    const before = mcp.all();
    const second = actionContext(baseInput);
    await action.handler(second.ctx as any);
    expect(mcp.all()).toEqual(before);
    expect(second.logText()).toContain('Unchanged: PostgreSQLInstance team-a/orders-db');
  });

  it('accepts parameters as a YAML string, and v2 namespaced XRs by composite kind', async () => {
    const { action, mcp } = setup();
    await action.handler(
      actionContext({
        controlPlane: CP_ID,
        apiVersion: 'storage.example.org/v1',
        kind: 'Bucket',
        name: 'assets',
        parameters: 'region: eu-west-1\nextra:\n  anything: goes\n',
      }).ctx as any,
    );
    const bucket = mcp.all().find(o => o.kind === 'Bucket')!;
    expect(bucket.metadata?.namespace).toBe('default');
    expect(bucket.spec).toEqual({ region: 'eu-west-1', extra: { anything: 'goes' } });
  });

  it('refuses when the user lacks the permission, before any cluster call', async () => {
    const { action, mcp } = setup(AuthorizeResult.DENY);
    await expect(action.handler(actionContext(baseInput).ctx as any)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('upbound.claim.create'),
    });
    expect(mcp.writes).toEqual([]);
  });

  it.each([
    [{ name: 'Orders_DB' }, /Invalid name 'Orders_DB'/],
    [{ namespace: 'Team A' }, /Invalid namespace 'Team A'/],
    [{ controlPlane: 'space/local/platform/nope' }, /Unknown controlPlane 'space\/local\/platform\/nope'/],
    [{ kind: 'Redis' }, /Unknown claim API database.example.org\/v1alpha1 Redis/],
    [{ apiVersion: 'database.example.org/v9' }, /Invalid apiVersion 'database.example.org\/v9'/],
    [{ parameters: { parameters: { storageGB: 'big' } } }, /spec\.parameters\.storageGB must be integer/],
    [{ parameters: { parameters: { version: '9' } } }, /spec\.parameters\.storageGB is required; spec\.parameters\.version must be one of "15", "16"/],
    [{ parameters: { parameters: { storageGB: 1, sizee: 3 } } }, /spec\.parameters\.sizee is not a field of this API/],
    [{ parameters: '- a\n- b\n' }, /parameters must be an object/],
    [{ parameters: 'a: [unclosed' }, /parameters is not valid YAML or JSON/],
    [{ labels: { 'bad key!': 'x' } }, /Invalid key 'bad key!' in labels/],
    [{ namespace: 'missing' }, /Namespace 'missing' does not exist/],
  ])('refuses bad input %j before any write', async (override, message) => {
    const { action, mcp } = setup();
    await expect(
      action.handler(actionContext({ ...baseInput, ...override }).ctx as any),
    ).rejects.toMatchObject({ name: 'InputError', message: expect.stringMatching(message) });
    expect(mcp.writes).toEqual([]);
  });

  it('accepts int-or-string fields and Crossplane spec fields', async () => {
    const { action, mcp } = setup();
    await action.handler(
      actionContext({
        ...baseInput,
        parameters: {
          parameters: { storageGB: 5, port: '5432' },
          compositionSelector: { matchLabels: { provider: 'aws' } },
        },
      }).ctx as any,
    );
    expect(mcp.all().find(o => o.kind === 'PostgreSQLInstance')!.spec.compositionSelector).toEqual({
      matchLabels: { provider: 'aws' },
    });
  });

  it('refuses a claim API whose XRD is not Established or whose claim is not Offered, before any write', async () => {
    const { action, mcp, service } = setup();
    for (const [change, message] of [
      [{ established: { state: 'False', reason: 'ReconcileError', message: 'cannot apply CRD' } }, /Cannot create PostgreSQLInstance .* XRD xpostgresqlinstances.database.example.org is not Established \(ReconcileError: cannot apply CRD\)/],
      [{ established: { state: 'True' }, offered: { state: 'False', reason: 'WatchingClaim' } }, /claim PostgreSQLInstance of XRD xpostgresqlinstances.database.example.org is not Offered \(WatchingClaim\)/],
    ] as const) {
      service.claimApis = async () => CLAIM_APIS.map(a => (a.claimKind === 'PostgreSQLInstance' ? { ...a, ...change } : a));
      await expect(action.handler(actionContext(baseInput).ctx as any)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
    }
    expect(mcp.writes).toEqual([]);
  });

  it('creates a claim in an app cluster through its connector, validated by the control plane XRD, named as the connector stores it', async () => {
    const { action, app, mcp, service } = setup();
    const appInput = { ...baseInput, appCluster: 'app-1', namespace: 'test', name: 'my-bucket', claimNamespace: 'app-1' };
    // No connector serving the API yet: say so, write nothing.
    await expect(action.handler(actionContext(appInput).ctx as any)).rejects.toThrow(
      /app cluster app-1 does not serve PostgreSQLInstance \(database.example.org\/v1alpha1\): is the MCP Connector .* installed there, and its APIService v1alpha1.database.example.org Available/,
    );
    app.addTypes(resourceTypeOf('database.example.org/v1alpha1', 'PostgreSQLInstance', 'postgresqlinstances'));
    app.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } });
    // The same schema validation as in the control plane.
    await expect(
      action.handler(actionContext({ ...appInput, parameters: { parameters: { storageGB: 'lots' } } }).ctx as any),
    ).rejects.toThrow(/storageGB/);
    (service.appCluster('app-1') as any).clusterId = '00000000-0000-0000-0000-000000000000';
    const { ctx, outputs } = actionContext(appInput);
    await action.handler(ctx as any);
    expect(app.all().find(o => o.kind === 'PostgreSQLInstance')!.metadata).toMatchObject({ name: 'my-bucket', namespace: 'test' });
    expect(mcp.writes).toEqual([]);
    // The documented example: sha256("my-bucket-x-test-x-00000000-0000-0000-0000-000000000000").
    expect(outputs.controlPlaneName).toBe('claim-c603e518969b413e');
    expect(outputs.entityRef).toBe(
      `resource:default/${claimEntityName({ controlPlaneId: CP_ID, controlPlaneName: 'ctp-a', kind: 'PostgreSQLInstance', namespace: 'app-1', name: 'claim-c603e518969b413e' })}`,
    );
  });

  it('refuses YAML bombs', async () => {
    const { action } = setup();
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    await expect(
      action.handler(actionContext({ ...baseInput, parameters: bomb }).ctx as any),
    ).rejects.toMatchObject({ name: 'InputError', message: expect.stringMatching(/alias/i) });
  });

  it('refuses too deep or too large parameters', async () => {
    const { action } = setup();
    let deep: any = 1;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    await expect(
      action.handler(actionContext({ ...baseInput, parameters: deep }).ctx as any),
    ).rejects.toThrow(/nested too deeply/);
    await expect(
      action.handler(
        actionContext({ ...baseInput, parameters: `x: "${'a'.repeat(300_000)}"` }).ctx as any,
      ),
    ).rejects.toThrow(/too large/);
  });

  it('refuses a claim that exists but was created by someone else', async () => {
    const { action, mcp } = setup();
    mcp.upsert(
      {
        apiVersion: 'database.example.org/v1alpha1',
        kind: 'PostgreSQLInstance',
        metadata: { name: 'orders-db', namespace: 'team-a' },
        spec: { parameters: { storageGB: 1 } },
      },
      { fieldManager: 'kubectl' },
    );
    await expect(action.handler(actionContext(baseInput).ctx as any)).rejects.toThrow(
      /already exists and was not created by Backstage/,
    );
    expect(mcp.writes).toEqual([]);
  });

  it('dry-run asks the server for a dry-run apply and stores nothing', async () => {
    const { action, mcp } = setup();
    const { ctx, logText } = actionContext(baseInput, { isDryRun: true });
    await action.handler(ctx as any);
    expect(mcp.writes).toEqual([
      expect.objectContaining({ verb: 'apply', dryRun: true }),
    ]);
    expect(mcp.all().filter(o => o.kind === 'PostgreSQLInstance')).toEqual([]);
    expect(logText()).toContain('Dry run: would create PostgreSQLInstance team-a/orders-db');
  });

  it('manifest mode writes YAML into the workspace and touches no cluster', async () => {
    const { action, mcp } = setup();
    const { ctx, outputs } = actionContext(
      { ...baseInput, mode: 'manifest', parameters: 'parameters:\n  storageGB: 20\n' },
      { workspacePath: mockDir.path },
    );
    await action.handler(ctx as any);
    expect(outputs.manifestPath).toBe('claims/team-a/orders-db.yaml');
    expect(mockDir.content()).toEqual({
      claims: {
        'team-a': {
          'orders-db.yaml': [
            'apiVersion: database.example.org/v1alpha1',
            'kind: PostgreSQLInstance',
            'metadata:',
            '  name: orders-db',
            '  namespace: team-a',
            'spec:',
            '  parameters:',
            '    storageGB: 20',
            '',
          ].join('\n'),
        },
      },
    });
    expect(mcp.writes).toEqual([]);
  });

  it('manifest mode refuses a targetPath outside the workspace', async () => {
    const { action } = setup();
    const { ctx } = actionContext(
      { ...baseInput, mode: 'manifest', targetPath: '../../etc/claim.yaml' },
      { workspacePath: mockDir.path },
    );
    await expect(action.handler(ctx as any)).rejects.toThrow(/Invalid targetPath/);
  });
});
