// Loads the versioned YAML fixtures and fills their placeholders.
//
// Placeholders: {{name}} for a variable; {{connector:NAME:NAMESPACE}} for the name under which the MCP
// Connector stores a claim of the app cluster; {{now}}, {{ago:SECONDS}} and {{agoMicro:SECONDS}}
// (MicroTime) for RFC 3339 timestamps.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FIXTURES_DIR } from './layout.ts';

/** Same algorithm as connectorObjectName in @upbound-backstage/plugin-upbound-common (tested against it). */
export function connectorObjectName(name, namespace, clusterId, type = 'claim') {
  const hash = crypto.createHash('sha256').update(`${name}-x-${namespace}-x-${clusterId}`).digest('hex');
  return `${type === 'claim' ? 'claim-' : 'nxr-'}${hash.slice(0, 16)}`;
}

function timestamp(secondsAgo) {
  return new Date(Math.floor(Date.now() / 1000 - secondsAgo) * 1000).toISOString().replace('.000Z', 'Z');
}

export function render(text, vars, source = 'fixture') {
  return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, expr) => {
    const [fn, ...args] = expr.split(':');
    if (fn === 'now') return timestamp(0);
    if (fn === 'ago') return timestamp(Number(args[0]));
    if (fn === 'agoMicro') return timestamp(Number(args[0])).replace('Z', '.000000Z');
    if (fn === 'connector') return connectorObjectName(args[0], args[1], vars.clusterId, args[2]);
    if (!(expr in vars)) throw new Error(`${source}: unknown placeholder {{${expr}}}`);
    return String(vars[expr]);
  });
}

/** All documents of the YAML files under fixtures/<dir> (recursively, in path order), rendered. */
export function loadFixtures(dir, vars) {
  const root = path.join(FIXTURES_DIR, dir);
  const files = [];
  const walk = d => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(entry.name)) files.push(p);
    }
  };
  walk(root);
  return files.flatMap(f => loadFile(f, vars));
}

export function loadFile(file, vars) {
  const rel = path.relative(FIXTURES_DIR, file);
  const text = render(fs.readFileSync(file, 'utf8'), vars, rel);
  return parseAllDocuments(text)
    .map(d => {
      if (d.errors.length) throw new Error(`${rel}: ${d.errors[0].message}`);
      return d.toJS();
    })
    .filter(Boolean);
}

/** Reads one template file as text, for generated (bulk) objects rendered many times. */
export function readTemplate(rel) {
  return fs.readFileSync(path.join(FIXTURES_DIR, rel), 'utf8');
}

export function parseRendered(text, source) {
  return parseAllDocuments(text).map(d => {
    if (d.errors.length) throw new Error(`${source}: ${d.errors[0].message}`);
    return d.toJS();
  }).filter(Boolean);
}

/**
 * Compiles a template rendered many times (bulk objects): it is parsed once, with `itemKeys` left as
 * markers, and each call fills them in as strings. Much cheaper than parsing YAML per item.
 */
export function compileTemplate(text, vars, itemKeys, source) {
  const markers = Object.fromEntries(itemKeys.map(k => [k, `__item_${k}__`]));
  const json = JSON.stringify(parseRendered(render(text, { ...vars, ...markers }, source), source));
  return item => JSON.parse(json.replace(/__item_(\w+)__/g, (m, k) => (k in item ? JSON.stringify(String(item[k])).slice(1, -1) : m)));
}
