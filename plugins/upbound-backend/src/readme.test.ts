/*
 * The README's route table is the API's documentation: every route the plugin serves is in it,
 * and every route in it is served.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { upboundServiceRef } from '@upbound-backstage/plugin-upbound-node';
import { createFakeUpboundService } from '@upbound-backstage/plugin-upbound-node/testUtils';
import fs from 'node:fs';
import path from 'node:path';
import { upboundPlugin } from './plugin';

/** `METHOD /path` of every route of an express router, nested routers included. */
function routesOf(router: any, prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of router.stack ?? []) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) {
        out.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      }
    } else if (layer.handle?.stack) {
      out.push(...routesOf(layer.handle, prefix));
    }
  }
  return out;
}

/** `METHOD /path` of every route line in the README's code blocks (query strings dropped). */
function documentedRoutes(readme: string): string[] {
  const out: string[] = [];
  let inCode = false;
  for (const line of readme.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const m = inCode && /^(GET|POST|PUT|PATCH|DELETE)\s+(\/\S*)/.exec(line);
    if (m) out.push(`${m[1]} ${m[2].split('?')[0]}`);
  }
  return out;
}

describe('README route table', () => {
  it('lists exactly the routes the router serves', async () => {
    const httpRouter = mockServices.httpRouter.mock();
    const backend = await startTestBackend({
      features: [
        upboundPlugin,
        httpRouter.factory,
        createServiceFactory({
          service: upboundServiceRef,
          deps: {},
          factory: () => createFakeUpboundService(),
        }),
      ],
    });
    // Routes that Backstage's core services mount (actions, permission metadata) are theirs.
    const served = httpRouter.use.mock.calls
      .flatMap(([router]) => routesOf(router))
      .filter(r => !/ \/\.(backstage|well-known)\//.test(r))
      .sort();
    const readme = fs.readFileSync(
      path.resolve(__dirname, '../README.md'),
      'utf8',
    );
    const documented = [...new Set(documentedRoutes(readme))].sort();
    expect(served.length).toBeGreaterThan(10);
    expect(documented).toEqual([...new Set(served)].sort());
    await backend.stop();
  });
});
