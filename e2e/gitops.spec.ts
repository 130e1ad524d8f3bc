import { expect, test } from '@playwright/test';
import { entityPath, findEntity, signIn, snapshot } from './helpers';

// The local Space's real Flux applies claims/prod from its Git server into team-a/prod, and the real Argo CD
// syncs claims/dev/* into platform/dev; every status below is written by the engines and Crossplane.

test('a claim delivered by Flux shows its Kustomization, repository, revision and delivery timeline', async ({
  page,
  request,
}) => {
  const claim = await findEntity(request, {
    kind: 'resource',
    'spec.type': 'crossplane-claim',
    'metadata.annotations.upbound.io/control-plane-id': 'space/local/team-a/prod',
    'metadata.annotations.upbound.io/namespace': 'payments',
    'metadata.annotations.upbound.io/name': 'invoices-db',
  }, 120_000);
  await signIn(page, entityPath(claim));
  // Provenance on the claim card and the delivery card: Flux's Kustomization and the Git revision it applied.
  await expect(page.getByText(/prod-claims/).first()).toBeVisible();
  await expect(page.getByText(/platform-claims\.git/).first()).toBeVisible();
  const delivery = page.getByText('Delivery', { exact: true }).first();
  await expect(delivery).toBeVisible();
  await expect(page.getByText(/Revision main@sha1:[0-9a-f]{7}/).first()).toBeVisible();
  await expect(page.getByText(/Applied by Flux Kustomization/).first()).toBeVisible();
  await page.waitForTimeout(300);
  await snapshot(page, 'claim-delivered-by-flux');
});

test("a control plane's GitOps view shows the engines' own verdicts", async ({ page, request }) => {
  const prod = await findEntity(request, {
    kind: 'resource',
    'spec.type': 'upbound-control-plane',
    'metadata.annotations.upbound.io/control-plane-id': 'space/local/team-a/prod',
  });
  await signIn(page, entityPath(prod, 'upbound'));
  await expect(page.getByText('prod-claims').first()).toBeVisible();
  // prod-apps points at a kustomization that does not build: Flux says why.
  await expect(page.getByText('prod-apps').first()).toBeVisible();
  await expect(page.getByText(/kustomize build failed|dependency .* is not ready/).first()).toBeVisible({ timeout: 120_000 });
  await snapshot(page, 'control-plane-gitops-flux');

  const dev = await findEntity(request, {
    kind: 'resource',
    'spec.type': 'upbound-control-plane',
    'metadata.annotations.upbound.io/control-plane-id': 'space/local/platform/dev',
  });
  await signIn(page, entityPath(dev, 'upbound'));
  await expect(page.getByText('payments-claims').first()).toBeVisible();
  // web-claims holds a Bucket the claim API refuses: Argo CD's own sync error is shown.
  await expect(page.getByText('web-claims').first()).toBeVisible();
  await expect(page.getByText(/Unsupported value: "public-read-write"/).first()).toBeVisible({ timeout: 120_000 });
  await snapshot(page, 'control-plane-gitops-argocd');
});
