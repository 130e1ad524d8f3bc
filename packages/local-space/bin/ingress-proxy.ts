#!/usr/bin/env node
// The local Space ingress proxy; started detached by `local-space start`.
// Usage: ingress-proxy.ts --routes <state-dir>/auth/ingress-routes.json
import { runIngressFromFile } from '../src/lib/ingress.ts';

const i = process.argv.indexOf('--routes');
if (i < 0 || !process.argv[i + 1]) {
  process.stderr.write('usage: ingress-proxy.ts --routes FILE\n');
  process.exit(2);
}
runIngressFromFile(process.argv[i + 1]);
