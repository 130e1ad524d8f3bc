import { expect, test } from '@playwright/test';

test('the catalog page renders after guest sign-in', async ({ page }) => {
  await page.goto('/');
  const guest = page.getByRole('button', { name: /enter/i });
  if (await guest.isVisible({ timeout: 15_000 }).catch(() => false)) {
    await guest.click();
  }
  await expect(page.getByRole('link', { name: /catalog/i }).first()).toBeVisible();
  await expect(page.getByText(/upbound/i).first()).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/catalog.png', fullPage: true });
});

test('the backend answers the catalog and the upbound health route', async ({ request }) => {
  const health = await request.get('/api/upbound/health');
  expect(health.ok()).toBeTruthy();
  expect(await health.json()).toEqual({ status: 'ok' });
  const entities = await request.get('/api/catalog/entities?limit=1');
  // Unauthenticated calls are refused; the route exists and answers.
  expect([200, 401]).toContain(entities.status());
});
