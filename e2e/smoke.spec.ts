import { expect, test } from '@playwright/test';
import { signIn, snapshot } from './helpers';

test('the catalog page renders after guest sign-in', async ({ page }) => {
  await signIn(page);
  await expect(page.getByRole('link', { name: 'Catalog' }).first()).toBeVisible();
  // The catalog lists the repository's own entities and the Upbound ones.
  await expect(page.getByText(/upbound/i).first()).toBeVisible();
  await snapshot(page, 'catalog');
});

test('the backend answers the catalog and the upbound health route', async ({ request }) => {
  const health = await request.get('/api/upbound/health');
  expect(health.ok()).toBeTruthy();
  expect(await health.json()).toEqual({ status: 'ok' });
  const entities = await request.get('/api/catalog/entities?limit=1');
  // Unauthenticated calls are refused; the route exists and answers.
  expect([200, 401]).toContain(entities.status());
});
