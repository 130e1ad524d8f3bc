import {
  emptyKustomizationWarning,
  emptySyncWarning,
  gitOpsWarning,
  originLabel,
  originObjectTitle,
  shortRevision,
} from './gitops';

describe('GitOps labels', () => {
  it('names the engine and object', () => {
    expect(originLabel({ engine: 'argocd', name: 'payments-claims' })).toBe(
      'Argo CD · payments-claims',
    );
    expect(
      originLabel({
        engine: 'flux',
        name: 'prod-claims',
        namespace: 'flux-system',
      }),
    ).toBe('Flux · flux-system/prod-claims');
    expect(
      originObjectTitle({ engine: 'argocd', name: 'web', namespace: 'team-a' }),
    ).toBe('Argo CD Application team-a/web');
    expect(originObjectTitle({ engine: 'flux', name: 'prod-claims' })).toBe(
      'Flux Kustomization prod-claims',
    );
  });

  it('shortens commit SHAs and leaves other revisions alone', () => {
    expect(shortRevision('4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39')).toBe(
      '4f2a9c1',
    );
    expect(
      shortRevision('main@sha1:9f8e7d6c5b4a39281706f5e4d3c2b1a098765432'),
    ).toBe('main@sha1:9f8e7d6');
    expect(shortRevision('v1.2.3')).toBe('v1.2.3');
    expect(shortRevision(undefined)).toBeUndefined();
  });
});

describe('empty sync warnings', () => {
  it('warns only when a synced object manages nothing', () => {
    expect(
      emptySyncWarning({
        syncStatus: 'Synced',
        resourceCount: 0,
        path: 'claims',
      }),
    ).toBe(
      'Synced, but no objects found at claims; check the path, or enable recurse for sub-folders',
    );
    expect(
      emptySyncWarning({
        syncStatus: 'Synced',
        resourceCount: 2,
        path: 'claims',
      }),
    ).toBeUndefined();
    expect(
      emptySyncWarning({ syncStatus: 'Synced', path: 'claims' }),
    ).toBeUndefined();
    expect(
      emptySyncWarning({ syncStatus: 'OutOfSync', resourceCount: 0 }),
    ).toBeUndefined();
    expect(
      emptyKustomizationWarning({
        ready: { state: 'True' },
        resourceCount: 0,
        path: './claims',
      }),
    ).toBe('Ready, but no objects found at ./claims; check the path');
    expect(
      emptyKustomizationWarning({
        ready: { state: 'False' },
        resourceCount: 0,
      }),
    ).toBeUndefined();
  });
});

describe('gitOpsWarning', () => {
  it('says that Git wins and what the operation does to the claim', () => {
    const argo = gitOpsWarning(
      { engine: 'argocd', name: 'payments-claims' },
      'pause',
    );
    expect(argo).toContain('managed by Argo CD Application payments-claims');
    expect(argo).toContain('self-heal');
    expect(argo).toContain('lasting changes belong in Git');
    expect(argo).toContain(
      'crossplane.io/paused annotation, which Git does not set',
    );
    const flux = gitOpsWarning(
      { engine: 'flux', name: 'prod-claims', namespace: 'flux-system' },
      'reconcile',
    );
    expect(flux).toContain(
      'managed by Flux Kustomization flux-system/prod-claims',
    );
    expect(flux).toContain('next reconcile of the Kustomization');
    expect(flux).toContain('does not fetch a new commit from Git');
  });
});
