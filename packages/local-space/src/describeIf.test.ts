import { describeIf } from './LocalSpace';

/** Runs describeIf with `describe`, `describe.skip` and `it` replaced by recorders. */
function record(available: boolean, ci: string | undefined) {
  const calls: string[] = [];
  const tests: Array<() => unknown> = [];
  const saved = { describe: global.describe, it: global.it, ci: process.env.CI, warn: console.warn };
  const fakeDescribe: any = (name: string, fn: () => void) => {
    calls.push(`describe ${name}`);
    fn();
  };
  fakeDescribe.skip = (name: string) => calls.push(`skip ${name}`);
  (global as any).describe = fakeDescribe;
  (global as any).it = (name: string, fn: () => unknown) => {
    calls.push(`it ${name}`);
    tests.push(fn);
  };
  console.warn = () => {};
  if (ci === undefined) delete process.env.CI;
  else process.env.CI = ci;
  try {
    describeIf(available, 'no local Space (it is not running)')('suite', () => {
      (global as any).it('real test', () => 'ran');
    });
  } finally {
    (global as any).describe = saved.describe;
    (global as any).it = saved.it;
    console.warn = saved.warn;
    if (saved.ci === undefined) delete process.env.CI;
    else process.env.CI = saved.ci;
  }
  return { calls, tests };
}

describe('describeIf', () => {
  it('runs the suite when its dependency is there', () => {
    expect(record(true, 'true').calls).toEqual(['describe suite', 'it real test']);
  });

  // Why: integration suites skipped under CI=true when the local Space was missing.
  it('fails under CI=true when the dependency is missing, naming the reason', () => {
    const { calls, tests } = record(false, 'true');
    expect(calls).toEqual(['describe suite', 'it has what it needs']);
    expect(() => tests[0]()).toThrow(
      '"suite" cannot run under CI=true: no local Space (it is not running)',
    );
    expect(record(false, '1').calls).toContain('it has what it needs');
  });

  it('skips with the reason outside CI', () => {
    expect(record(false, undefined).calls).toEqual(['skip suite']);
    expect(record(false, 'false').calls).toEqual(['skip suite']);
  });
});
