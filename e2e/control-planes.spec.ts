import { expect, test } from '@playwright/test';
import { entityPath, findEntity, signIn, snapshot } from './helpers';

test('the Control Planes page lists the local Space grouped, with the not-ready one named', async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Control Planes' }).first().click();
  await expect(page).toHaveURL(/\/upbound$/);

  await expect(page.getByText('Space: local')).toBeVisible();
  for (const name of ['dev', 'prod', 'staging']) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }
  for (const group of ['platform', 'team-a']) {
    await expect(page.getByText(group, { exact: true }).first()).toBeVisible();
  }
  const staging = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'staging', exact: true }) });
  await expect(staging).toContainText(/not ready|unreachable/i);
  await snapshot(page, 'control-planes-page');
});

test('a control plane entity shows its claim APIs, claims, connections and GitOps', async ({
  page,
  request,
}) => {
  const dev = await findEntity(request, {
    kind: 'resource',
    'spec.type': 'upbound-control-plane',
    'metadata.annotations.upbound.io/control-plane-id': 'space/local/platform/dev',
  });
  await signIn(page, entityPath(dev, 'upbound'));
  await expect(page.getByText('Claim APIs').first()).toBeVisible();
  await expect(page.getByText('PostgreSQLInstance').first()).toBeVisible();
  await expect(page.getByText('assets', { exact: true }).first()).toBeVisible();
  await expect(page.getByText('Argo CD Applications')).toBeVisible();
  await snapshot(page, 'control-plane-entity');
});
