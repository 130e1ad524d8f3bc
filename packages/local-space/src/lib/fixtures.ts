// Loads the versioned YAML fixtures and fills their placeholders.
//
// Placeholders: {{name}} for a variable; {{connector:NAME:NAMESPACE}} for the name under which the MCP
// Connector stores a claim of the app cluster; {{now}}, {{ago:SECONDS}} and {{agoMicro:SECONDS}}
// (MicroTime) for RFC 3339 timestamps.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
// The plugins' own function, from its source file: Node's type stripping cannot load the package entry,
// whose imports have no file extensions.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { connectorObjectName } from '@upbound-backstage/plugin-upbound-common/src/connector/connectorObjectName.ts';
import type { KubeObject } from './kube.ts';
import { FIXTURES_DIR } from './layout.ts';

/** Values of the `{{name}}` placeholders. */
export type FixtureVars = Record<string, string | number>;

function timestamp(secondsAgo: number): string {
  return new Date(Math.floor(Date.now() / 1000 - secondsAgo) * 1000).toISOString().replace('.000Z', 'Z');
}

export function render(text: string, vars: FixtureVars, source = 'fixture'): string {
  return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const [fn, ...args] = expr.split(':');
    if (fn === 'now') return timestamp(0);
    if (fn === 'ago') return timestamp(Number(args[0]));
    if (fn === 'agoMicro') return timestamp(Number(args[0])).replace('Z', '.000000Z');
    if (fn === 'connector') {
      return connectorObjectName(args[0], args[1], String(vars.clusterId), args[2] === 'composite' ? 'composite' : 'claim');
    }
    if (!(expr in vars)) throw new Error(`${source}: unknown placeholder {{${expr}}}`);
    return String(vars[expr]);
  });
}

/** All documents of the YAML files under fixtures/<dir> (recursively, in path order), rendered. */
export function loadFixtures(dir: string, vars: FixtureVars): KubeObject[] {
  const root = path.join(FIXTURES_DIR, dir);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(entry.name)) files.push(p);
    }
  };
  walk(root);
  return files.flatMap(f => loadFile(f, vars));
}

export function loadFile(file: string, vars: FixtureVars): KubeObject[] {
  const rel = path.relative(FIXTURES_DIR, file);
  return parseRendered(render(fs.readFileSync(file, 'utf8'), vars, rel), rel);
}

/** Reads one template file as text, for generated (bulk) objects rendered many times. */
export function readTemplate(rel: string): string {
  return fs.readFileSync(path.join(FIXTURES_DIR, rel), 'utf8');
}

/** The documents of rendered YAML text; `source` names it in errors. */
export function parseRendered(text: string, source: string): KubeObject[] {
  return parseAllDocuments(text).map(d => {
    if (d.errors.length) throw new Error(`${source}: ${d.errors[0].message}`);
    return d.toJS();
  }).filter(Boolean);
}

/**
 * Compiles a template rendered many times (bulk objects): it is parsed once, with `itemKeys` left as
 * markers, and each call fills them in as strings. Much cheaper than parsing YAML per item.
 */
export function compileTemplate(text: string, vars: FixtureVars, itemKeys: string[], source: string): (item: FixtureVars) => KubeObject[] {
  const markers = Object.fromEntries(itemKeys.map(k => [k, `__item_${k}__`]));
  const json = JSON.stringify(parseRendered(render(text, { ...vars, ...markers }, source), source));
  return item => JSON.parse(json.replace(/__item_(\w+)__/g, (m, k: string) => (k in item ? JSON.stringify(String(item[k])).slice(1, -1) : m)));
}
