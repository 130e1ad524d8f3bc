import { expect, test } from '@playwright/test';
import { entityPath, findEntity, signIn, snapshot } from './helpers';

test('a failing claim shows its resource graph with the failing node and its conditions', async ({
  page,
  request,
}) => {
  // web/assets in platform/dev: the S3 Bucket fails with AccessDenied (local Space fixtures).
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
  await expect(page.getByText(/Not ready: Bucket assets-/)).toBeVisible();

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
  await expect(details.getByText(/AccessDenied/).first()).toBeVisible();
  await snapshot(page, 'claim-graph-details');

  await details.getByRole('tab', { name: 'Events' }).click();
  await expect(details.getByText(/CannotCreateExternalResource|AccessDenied/).first()).toBeVisible();
  await details.getByRole('tab', { name: 'YAML' }).click();
  await expect(details.getByText(/kind: Bucket/).first()).toBeVisible();
});
