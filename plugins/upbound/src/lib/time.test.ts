import { age, relativeTime } from './time';

const now = Date.parse('2025-06-01T12:00:00Z');

describe('age', () => {
  it('prints kubectl-style ages', () => {
    expect(age('2025-06-01T11:59:30Z', now)).toBe('30s');
    expect(age('2025-06-01T09:00:00Z', now)).toBe('3h');
    expect(age('2025-05-20T12:00:00Z', now)).toBe('12d');
    expect(age(undefined, now)).toBe('');
  });
});

describe('relativeTime', () => {
  it('prints the largest whole unit in words', () => {
    expect(relativeTime('2025-06-01T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2025-06-01T09:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2025-05-31T12:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2025-06-01T12:00:00Z', now)).toBe('now');
  });

  it('is undefined for a missing or unparsable time', () => {
    expect(relativeTime(undefined, now)).toBeUndefined();
    expect(relativeTime('not a time', now)).toBeUndefined();
  });
});
