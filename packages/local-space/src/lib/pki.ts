// Local CA, one serving certificate (127.0.0.1, localhost) for every server, and bearer tokens.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SpaceFiles } from './layout.ts';

/**
 * Bearer tokens of the local Space (`tokens.json`).
 * @public
 */
export interface LocalSpaceTokens {
  /** Hub admin; the ingress accepts it for every path. */
  hub: string;
  /** App cluster admin. */
  app: string;
  /** Per `<group>/<name>`: the API server admin token and the ingress token scoped to that control plane. */
  controlPlanes: Record<string, { admin: string; ingress: string }>;
  /** Argo CD: admin login, session signing key, and the API token of the example app's account. */
  argocd?: { adminPassword: string; serverSecretKey: string; apiToken?: string };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates the CA, serving certificate and service-account key once; later starts reuse them. */
export function ensurePki(files: SpaceFiles): void {
  fs.mkdirSync(files.pkiDir, { recursive: true, mode: 0o700 });
  const dir = files.pkiDir;
  if (!fs.existsSync(files.caFile) || !fs.existsSync(files.caKey)) {
    openssl(
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
        '-days', '3650', '-subj', '/CN=local-space-ca',
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
      dir,
    );
    fs.rmSync(files.servingCert, { force: true });
  }
  if (!fs.existsSync(files.servingCert) || !fs.existsSync(files.servingKey)) {
    fs.writeFileSync(
      path.join(dir, 'serving.ext'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
    );
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'serving.key', '-out', 'serving.csr',
      '-subj', '/CN=127.0.0.1'], dir);
    openssl(['x509', '-req', '-in', 'serving.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
      '-out', 'serving.crt', '-days', '3650', '-extfile', 'serving.ext'], dir);
  }
  if (!fs.existsSync(files.saKey)) {
    openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  }
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o600);
}

export function newToken(): string {
  return crypto.randomBytes(24).toString('hex');
}

/**
 * Tokens of the Space: the hub admin token (also accepted by the ingress for every path), one admin
 * token per API server, and one ingress token per control plane (accepted only for its own /k8s path).
 * Kept across restarts so kubeconfigs and app config stay valid.
 */
export function ensureTokens(tokensFile: string, controlPlanes: Array<{ name: string; group: string }>): LocalSpaceTokens {
  let tokens: LocalSpaceTokens = { hub: newToken(), app: newToken(), controlPlanes: {} };
  if (fs.existsSync(tokensFile)) {
    tokens = JSON.parse(fs.readFileSync(tokensFile, 'utf8'));
  }
  for (const cp of controlPlanes) {
    const key = `${cp.group}/${cp.name}`;
    tokens.controlPlanes[key] ??= { admin: newToken(), ingress: newToken() };
  }
  fs.writeFileSync(tokensFile, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  return tokens;
}

/** Writes a kube-apiserver --token-auth-file granting one admin user. */
export function writeTokenAuthFile(file: string, token: string, user = 'admin'): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${token},${user},${user},"system:masters"\n`, { mode: 0o600 });
}
