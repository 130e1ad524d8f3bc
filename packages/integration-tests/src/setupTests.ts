// These suites drive real API servers (and PostgreSQL); `testTimeout` in package.json is ignored when
// the repo's tests run as one multi-project jest run, so the timeout is set here.
jest.setTimeout(120_000);
