import fs from 'node:fs';
import https from 'node:https';
import { expect, test, type Page } from '@playwright/test';
import { signIn, snapshot } from './helpers';

/*
 * The pages at real sizes: claims with names of 253 characters in a long namespace, at 1280 and
 * 1920 px wide. Long names are cut with the full name on hover and a copy button; no column is
 * pushed off its card; claim counts stay on one line. Screenshots land in e2e/artifacts/.
 */

const NAMESPACE = 'payments-eu-west-1-production-long-namespace-name';
// The longest claim name Crossplane's generated claim CRDs accept (63 characters, like a label value).
const LONG_NAME = `${'orders-database-for-the-checkout-service-'.repeat(2)}`.slice(0, 58) + '-0042';

interface SpaceState {
  caFile: string;
  tokensFile: string;
  controlPlanes: Array<{ name: string; group: string; url: string | null }>;
}

/** Server-side apply into a control plane of the local Space, with its admin token. */
function apply(path: string, body: unknown): Promise<void> {
  const state: SpaceState = JSON.parse(fs.readFileSync(process.env.UPBOUND_LOCAL_SPACE_STATE!, 'utf8'));
  const tokens = JSON.parse(fs.readFileSync(state.tokensFile, 'utf8'));
  const dev = state.controlPlanes.find(c => c.group === 'platform' && c.name === 'dev')!;
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(`${path}?fieldManager=e2e-layout&force=true`, dev.url!),
      {
        method: 'PATCH',
        ca: fs.readFileSync(state.caFile),
        headers: {
          Authorization: `Bearer ${tokens.controlPlanes['platform/dev'].admin}`,
          'Content-Type': 'application/apply-patch+yaml',
        },
      },
      res => {
        let text = '';
        res.on('data', d => (text += d));
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`${res.statusCode}: ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

test.beforeAll(async () => {
  expect(process.env.UPBOUND_LOCAL_SPACE_STATE, 'the local Space state file').toBeTruthy();
  await apply(`/api/v1/namespaces/${NAMESPACE}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  for (const name of [LONG_NAME, 'short-db']) {
    await apply(`/apis/database.example.org/v1alpha1/namespaces/${NAMESPACE}/postgresqlinstances/${name}`, {
      apiVersion: 'database.example.org/v1alpha1',
      kind: 'PostgreSQLInstance',
      metadata: { name, namespace: NAMESPACE },
      spec: { parameters: { storageGB: 20 }, compositionRef: { name: 'xpostgresqlinstances-aws' } },
    });
  }
});

/** True when the element ends inside the card (Paper) it sits in. */
async function insideItsCard(page: Page, selector: string) {
  return page.locator(selector).last().evaluate(el => {
    const card = el.closest('.MuiPaper-root') ?? document.body;
    return el.getBoundingClientRect().right <= card.getBoundingClientRect().right + 1;
  });
}

// Many claims and four tables per page: slow on a loaded machine.
test.setTimeout(180_000);

for (const width of [1280, 1920]) {
  test(`pages hold at ${width} px: long names cut with hover and copy, columns on their cards, counts on one line`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 1000 });
    await signIn(page, '/upbound');
    await expect(page.getByText('Space: local')).toBeVisible();
    // Claim counts never wrap one digit per line: one line tall.
    const count = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'dev', exact: true }) }).locator('td span').filter({ hasText: /^\d+$/ }).first();
    await expect(count).toBeVisible();
    const box = (await count.boundingBox())!;
    expect(box.height).toBeLessThan(30);
    await snapshot(page, `layout-control-planes-${width}`);

    // Through the page, as a person goes: the control plane's link, then its tab.
    await page.getByRole('link', { name: 'dev', exact: true }).click();
    await page.getByText('Control Plane', { exact: true }).click();
    // The first page of claims is in before the filter is changed.
    await expect(page.getByText(/^\d+ in total$/)).toBeVisible({ timeout: 60_000 });
    const namespace = page.locator('#upbound-claims-namespace');
    await namespace.fill(NAMESPACE);
    await namespace.press('Enter');
    const longName = page.locator(`[data-full-text="${LONG_NAME}"]`);
    await expect(longName).toBeVisible({ timeout: 60_000 });
    // Cut with an ellipsis, the full name on hover, and a copy button.
    await expect(longName).toHaveAttribute('title', LONG_NAME);
    const { scrollWidth, clientWidth } = await longName.evaluate(el => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth).toBeGreaterThan(clientWidth);
    await expect(page.getByRole('button', { name: `Copy claim name ${LONG_NAME}` })).toBeVisible();
    // Every column of the claims table and the claim APIs' status stay on their cards.
    expect(await insideItsCard(page, 'table:has(th:has-text("Ready / Synced")) th')).toBe(true);
    expect(await insideItsCard(page, 'table:has(th:has-text("Default composition")) th')).toBe(true);
    await snapshot(page, `layout-control-plane-tab-${width}`);
  });
}
