import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { KubeObject } from '@upbound-backstage/plugin-upbound-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';

/** Drops what the server owns (status, managedFields, uid, ...) so a manifest can be committed. */
export function toManifest(obj: KubeObject): KubeObject {
  const { status: _status, ...rest } = obj;
  const {
    managedFields: _mf,
    uid: _uid,
    resourceVersion: _rv,
    generation: _gen,
    creationTimestamp: _ct,
    ...metadata
  } = obj.metadata ?? {};
  return { ...rest, metadata };
}

/** Renders objects as one multi-document YAML file. */
export function renderManifests(objects: KubeObject[]): string {
  return objects.map(o => stringify(toManifest(o))).join('---\n');
}

/**
 * Writes objects as YAML into the task workspace (for `publish:*` to open a pull request). The path
 * must stay inside the workspace. Returns the path relative to the workspace.
 */
export async function writeManifests(
  workspacePath: string,
  targetPath: string,
  objects: KubeObject[],
): Promise<string> {
  return writeWorkspaceFile(workspacePath, targetPath, renderManifests(objects));
}

/** Writes a text file into the task workspace; the path must stay inside it. Returns the relative path. */
export async function writeWorkspaceFile(
  workspacePath: string,
  targetPath: string,
  text: string,
): Promise<string> {
  let fullPath: string;
  try {
    fullPath = resolveSafeChildPath(workspacePath, targetPath);
  } catch {
    throw new InputError(
      `Invalid targetPath '${targetPath}': it must be a relative path inside the workspace`,
    );
  }
  if (fullPath === path.resolve(workspacePath)) {
    throw new InputError(`Invalid targetPath '${targetPath}': it must name a file`);
  }
  await fs.mkdir(path.dirname(fullPath), { recursive: true });
  await fs.writeFile(fullPath, text, 'utf8');
  return path.relative(workspacePath, fullPath).split(path.sep).join('/');
}
