import { expect, test } from '@playwright/test';
import { entityPath, findEntity, guestToken, signIn, snapshot } from './helpers';

const CONTROL_PLANE = 'space/local/platform/dev';

test('the "create a claim" template creates a claim through the pickers', async ({
  page,
  request,
}) => {
  const name = `e2e-bucket-${Date.now().toString(36)}`;

  await signIn(page, '/create');
  // The innermost element holding both the template's heading and a Choose button is its card.
  await page
    .locator('div')
    .filter({ has: page.getByRole('heading', { name: 'Create a claim in an Upbound control plane' }) })
    .filter({ has: page.getByRole('button', { name: 'Choose' }) })
    .last()
    .getByRole('button', { name: 'Choose' })
    .click();

  // Step 1: the Upbound pickers.
  await page.getByLabel(/Control plane/).click();
  await page.getByRole('option', { name: 'local/platform/dev' }).click();
  const claimApi = page.getByLabel(/Claim API/);
  await expect(claimApi).not.toHaveAttribute('aria-disabled', 'true');
  await claimApi.click();
  await page.getByRole('option', { name: /^Bucket \(storage\.example\.org\// }).click();
  // The picker shows the chosen API's spec fields.
  await expect(page.getByRole('table', { name: 'Spec fields' })).toContainText('parameters.region');
  await snapshot(page, 'template-form');
  await page.getByRole('button', { name: 'Next' }).click();

  // Step 2: the claim.
  await page.getByLabel('Name', { exact: false }).first().fill(name);
  await page.getByLabel(/Namespace in the control plane/).fill('web');
  await page.getByLabel(/Spec \(YAML\)/).fill('parameters:\n  region: eu-west-1\n');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The task finishes and links the new entity.
  await expect(page.getByRole('link', { name: 'Open the claim in the catalog' })).toBeVisible({
    timeout: 60_000,
  });

  // The backend lists it among the control plane's claims...
  const token = await guestToken(request);
  const claims = await request.get(
    `/api/upbound/controlplanes/${encodeURIComponent(CONTROL_PLANE)}/claims?namespace=web`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(claims.ok()).toBeTruthy();
  expect(((await claims.json()).items as Array<{ name: string }>).map(c => c.name)).toContain(name);

  // ...the control plane's claims table shows it...
  const dev = await findEntity(request, {
    kind: 'resource',
    'spec.type': 'upbound-control-plane',
    'metadata.annotations.upbound.io/control-plane-id': CONTROL_PLANE,
  });
  await page.goto(entityPath(dev, 'upbound'));
  await expect(page.getByRole('link', { name, exact: true })).toBeVisible();

  // ...and the catalog ingests it from the control plane's watch.
  const entity = await findEntity(
    request,
    { kind: 'resource', 'metadata.annotations.upbound.io/name': name },
    90_000,
  );
  expect(entity.spec?.type).toBe('crossplane-claim');
  await page.goto(entityPath(entity));
  await expect(page.getByText(`web/${name} (dev)`).first()).toBeVisible();
});
