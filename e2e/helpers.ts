import { expect, type APIRequestContext, type Page } from '@playwright/test';

/**
 * Signs in as the guest user when the sign-in page shows, then waits for the sidebar's
 * links (the `<nav>` element itself is hidden on narrow layouts, its links are not).
 */
export async function signIn(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  const enter = page.getByRole('button', { name: /^enter$/i });
  const sidebar = page.getByRole('link', { name: 'Control Planes' }).first();
  await expect(enter.or(sidebar).first()).toBeVisible({ timeout: 60_000 });
  if (await enter.isVisible()) await enter.click();
  await expect(sidebar).toBeVisible({ timeout: 60_000 });
}

/** A Backstage token for the guest user, for calls the specs make to the backend directly. */
export async function guestToken(request: APIRequestContext): Promise<string> {
  const res = await request.get('/api/auth/guest/refresh?env=development', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok(), `guest refresh answered ${res.status()}`).toBeTruthy();
  const body = await res.json();
  return body.backstageIdentity.token as string;
}

/** Entity as the catalog returns it (the fields the specs read). */
export interface CatalogEntity {
  kind: string;
  metadata: { name: string; namespace?: string; title?: string; annotations?: Record<string, string> };
  spec?: { type?: string };
}

/**
 * Polls the catalog until an entity matching the filter exists (the Upbound provider ingests on
 * startup and on watch events, so entities appear some seconds after the backend is up).
 */
export async function findEntity(
  request: APIRequestContext,
  filter: Record<string, string>,
  timeout = 60_000,
): Promise<CatalogEntity> {
  const token = await guestToken(request);
  const query = Object.entries(filter)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  let found: CatalogEntity | undefined;
  await expect
    .poll(
      async () => {
        const res = await request.get(
          `/api/catalog/entities?filter=${encodeURIComponent(query)}`,
          { headers: { Authorization: `Bearer ${token}` } },
        );
        if (!res.ok()) return 0;
        const items = (await res.json()) as CatalogEntity[];
        found = items[0];
        return items.length;
      },
      { timeout, message: `catalog entity matching ${query}` },
    )
    .toBeGreaterThan(0);
  return found!;
}

/** The catalog page path of an entity. */
export function entityPath(entity: CatalogEntity, tab = ''): string {
  const ns = entity.metadata.namespace ?? 'default';
  return `/catalog/${ns}/${entity.kind.toLowerCase()}/${entity.metadata.name}${tab ? `/${tab}` : ''}`;
}

/** Full-page screenshot under e2e/artifacts/ (gitignored), for looking at the pages. */
export async function snapshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e/artifacts/${name}.png`, fullPage: true });
}
