import {
  TITLE_MAX,
  claimApiTitle,
  claimTitle,
  indefiniteArticle,
  shortenMiddle,
} from './titles';

describe('titles', () => {
  it('keeps short titles as they are, kubectl style', () => {
    expect(claimTitle('orders-db', 'payments', 'dev')).toBe(
      'payments/orders-db (dev)',
    );
    expect(claimTitle('cluster-wide', undefined, 'dev')).toBe(
      'cluster-wide (dev)',
    );
    expect(claimApiTitle('PostgreSQLInstance', 'database.example.org')).toBe(
      'PostgreSQLInstance (database.example.org)',
    );
  });

  it('caps a 253 character name, keeping its start and end and the control plane', () => {
    const name = `${'a'.repeat(120)}-middle-${'z'.repeat(120)}-0042`;
    expect(name.length).toBeGreaterThan(250);
    const title = claimTitle(name, 'payments', 'dev');
    expect(title.length).toBeLessThanOrEqual(TITLE_MAX);
    expect(title).toMatch(/^payments\/a+…z+-0042 \(dev\)$/);
    // Even with the longest control plane name, the title stays far below 200 characters.
    expect(
      claimTitle(name, 'n'.repeat(63), 'c'.repeat(63)).length,
    ).toBeLessThan(110);
    expect(
      claimApiTitle('Bucket', `${'g'.repeat(240)}.example.org`).length,
    ).toBe(TITLE_MAX);
  });

  it('cuts in the middle only when needed', () => {
    expect(shortenMiddle('abcdef', 6)).toBe('abcdef');
    expect(shortenMiddle('abcdefghij', 6)).toBe('abc…ij');
  });

  it('picks the article by the first letter', () => {
    expect(indefiniteArticle('App')).toBe('an');
    expect(indefiniteArticle('XNetwork')).toBe('a');
    expect(indefiniteArticle('Bucket')).toBe('a');
  });
});
