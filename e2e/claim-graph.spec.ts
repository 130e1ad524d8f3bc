import { expect, test } from '@playwright/test';
import { entityPath, findEntity, signIn, snapshot } from './helpers';

test('a failing claim shows its resource graph with the failing node and its conditions', async ({
  page,
  request,
}) => {
  // web/assets in platform/dev, composed by Crossplane: its bucket (a provider-nop NopResource) cannot write its
  // connection secret, so provider-nop reports ReconcileError (local Space fixtures).
  const assets = await findEntity(request, {
    kind: 'resource',
    'spec.type': 'crossplane-claim',
    'metadata.annotations.upbound.io/control-plane-id': 'space/local/platform/dev',
    'metadata.annotations.upbound.io/namespace': 'web',
    'metadata.annotations.upbound.io/name': 'assets',
  });

  // Overview: the status card, from the backend's entity routes.
  await signIn(page, entityPath(assets));
  await expect(page.getByText('xbuckets-aws').first()).toBeVisible();
  await expect(page.getByRole('button', { name: /Reconcile/ })).toBeVisible();
  await snapshot(page, 'claim-overview');

  // Entity tabs are links.
  await page.getByRole('link', { name: 'Resources', exact: true }).click();
  const graph = page.getByTestId('resource-graph');
  await expect(graph).toBeVisible();
  await expect(page.getByText(/Not ready: NopResource assets-/)).toBeVisible();

  const failing = graph.locator('[data-failing="true"][data-health="error"]');
  await expect(failing.filter({ hasText: 'ReconcileError' })).toHaveCount(1);
  // The failing path runs from the claim through the composite to the managed resource.
  await expect(graph.locator('[data-failing="true"]').filter({ hasText: 'Claim' })).toHaveCount(1);
  await expect(graph.locator('[data-failing="true"]').filter({ hasText: 'Composite' })).toHaveCount(1);
  await page.waitForTimeout(300); // let React Flow finish fitting the view before the screenshot
  await snapshot(page, 'claim-graph');

  await failing.filter({ hasText: 'ReconcileError' }).click();
  const details = page.getByRole('region', { name: 'Resource details' });
  await expect(details).toBeVisible();
  await expect(details.getByText('ReconcileError').first()).toBeVisible();
  await expect(details.getByText(/namespaces "bucket-secrets" not found/).first()).toBeVisible();
  await snapshot(page, 'claim-graph-details');

  await details.getByRole('tab', { name: 'Events' }).click();
  await expect(details.getByText('CannotPublishConnectionDetails').first()).toBeVisible();
  await details.getByRole('tab', { name: 'YAML' }).click();
  await expect(details.getByText(/kind: NopResource/).first()).toBeVisible();
});

test('a healthy claim shows the graph Crossplane composed: composite, nested composite, managed resources', async ({
  page,
  request,
}) => {
  // payments/orders-db in platform/dev: its NopResources report Ready a few seconds after they are composed.
  const ordersDb = await findEntity(request, {
    kind: 'resource',
    'spec.type': 'crossplane-claim',
    'metadata.annotations.upbound.io/control-plane-id': 'space/local/platform/dev',
    'metadata.annotations.upbound.io/namespace': 'payments',
    'metadata.annotations.upbound.io/name': 'orders-db',
  });
  await signIn(page, entityPath(ordersDb));
  await page.getByRole('link', { name: 'Resources', exact: true }).click();
  const graph = page.getByTestId('resource-graph');
  await expect(graph).toBeVisible();
  const nodes = graph.locator('[data-health]');
  await expect(nodes).toHaveCount(5);
  await expect(graph.locator('[data-health="ok"]')).toHaveCount(5);
  for (const label of ['PostgreSQLInstance · Claim', 'XPostgreSQLInstance · Composite', 'XNetwork · Composite']) {
    await expect(nodes.filter({ hasText: label })).toHaveCount(1);
  }
  await expect(nodes.filter({ hasText: 'NopResource · Managed' })).toHaveCount(2);
  // Crossplane names the composite after the claim with a random suffix.
  await expect(nodes.filter({ hasText: /orders-db-[a-z0-9]{5}$/ })).toHaveCount(1);
  await page.waitForTimeout(300); // let React Flow finish fitting the view before the screenshot
  await snapshot(page, 'claim-graph-composed');
});
