import { expect, test, type APIRequestContext } from '@playwright/test';
import { entityPath, findEntity, signIn, snapshot } from './helpers';

/** A Backstage token for the user without Upbound permissions (e2e/app-config.e2e.yaml). */
async function deniedToken(request: APIRequestContext): Promise<string> {
  const res = await request.get('/api/auth/e2eUser/refresh?env=development', {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok(), `e2eUser refresh answered ${res.status()}`).toBeTruthy();
  return (await res.json()).backstageIdentity.token as string;
}

test('a user without Upbound permissions sees no day-2 buttons, and every Upbound route answers 403', async ({
  page,
  request,
}) => {
  // web/assets in platform/dev, as the guest (who may) sees it in claim-graph.spec.ts.
  const assets = await findEntity(request, {
    kind: 'resource',
    'spec.type': 'crossplane-claim',
    'metadata.annotations.upbound.io/control-plane-id': 'space/local/platform/dev',
    'metadata.annotations.upbound.io/namespace': 'web',
    'metadata.annotations.upbound.io/name': 'assets',
  });

  // Sign in as user:default/e2e-denied: the app's guest sign-in is answered by the e2eUser provider.
  await page.route('**/api/auth/guest/refresh**', route =>
    route.continue({ url: route.request().url().replace('/api/auth/guest/', '/api/auth/e2eUser/') }),
  );
  await signIn(page, entityPath(assets));
  await expect(page.getByText(/not allowed/i).first()).toBeVisible();
  for (const name of [/Reconcile/, /^Pause/, /^Resume/]) {
    await expect(page.getByRole('button', { name })).toHaveCount(0);
  }
  await snapshot(page, 'claim-denied-user');

  const token = await deniedToken(request);
  const headers = { Authorization: `Bearer ${token}` };
  const entity = `/api/upbound/entities/resource/${assets.metadata.namespace ?? 'default'}/${assets.metadata.name}`;
  const cp = encodeURIComponent('space/local/platform/dev');
  const claim = { apiVersion: 'storage.example.org/v1alpha1', kind: 'Bucket', namespace: 'web', name: 'assets' };
  const calls = [
    request.get('/api/upbound/controlplanes', { headers }),
    request.get(`/api/upbound/controlplanes/${cp}/claims`, { headers }),
    request.get(`/api/upbound/controlplanes/${cp}/graph`, { headers, params: claim }),
    request.get(`${entity}/graph`, { headers }),
    request.post(`${entity}/reconcile`, { headers }),
    request.post(`/api/upbound/controlplanes/${cp}/pause`, { headers, data: { ...claim, paused: true } }),
  ];
  for (const res of await Promise.all(calls)) {
    expect({ url: res.url(), status: res.status() }).toEqual({ url: res.url(), status: 403 });
  }
});
