/*
 * One backend replica as its own process, for replicas.test.ts: the catalog with the Upbound
 * provider (full sync on the shared scheduler, watches on) and the Upbound REST API, on the
 * PostgreSQL and config named by the `--config` arguments. Run with the Backstage node transform:
 *   node --require @backstage/cli/config/nodeTransform.cjs replicaMain.ts --config replica.yaml
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@upbound-backstage/plugin-catalog-backend-module-upbound'));
backend.add(import('@upbound-backstage/plugin-upbound-backend'));
backend.start();
