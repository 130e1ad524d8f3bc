import { claimTypeLabel, parseClaimTypeErrors } from './readErrors';

describe('parseClaimTypeErrors', () => {
  it('reads the annotation and ignores what it cannot read', () => {
    const value = JSON.stringify([
      {
        group: 'database.example.org',
        kind: 'PostgreSQLInstance',
        xrd: 'xpostgresqlinstances.database.example.org',
        type: 'forbidden',
        statusCode: 403,
        message: 'forbidden',
        since: '2026-01-01T00:00:00.000Z',
      },
      { group: 'x' },
    ]);
    const [e, ...rest] = parseClaimTypeErrors(value);
    expect(rest).toEqual([]);
    expect(claimTypeLabel(e)).toBe('PostgreSQLInstance (database.example.org)');
    expect(parseClaimTypeErrors(undefined)).toEqual([]);
    expect(parseClaimTypeErrors('not json')).toEqual([]);
    expect(parseClaimTypeErrors('{}')).toEqual([]);
  });
});
