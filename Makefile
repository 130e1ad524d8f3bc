# The space targets source scripts/toolchain.sh, which is bash.
SHELL := /bin/bash

.PHONY: dev test space-start space-stop space-status bench

# Install everything and start the example app on the local Space (frontend :3000, backend :7007)
dev:
	scripts/dev.sh

# Install everything and run every test (type check, lint, jest unit + integration, Playwright e2e)
test:
	scripts/test.sh

space-start:
	. scripts/toolchain.sh && node packages/local-space/bin/local-space.ts start

space-stop:
	. scripts/toolchain.sh && node packages/local-space/bin/local-space.ts stop

space-status:
	. scripts/toolchain.sh && node packages/local-space/bin/local-space.ts status

bench:
	scripts/bench.sh
