import type { KubeObject } from '../types';

type Requirement = (labels: Record<string, string>) => boolean;

function parseRequirement(raw: string): Requirement {
  const term = raw.trim();
  let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) {
    const [, key, op, list] = m;
    const values = list.split(',').map(v => v.trim());
    return op === 'in'
      ? l => key in l && values.includes(l[key])
      : l => !(key in l) || !values.includes(l[key]);
  }
  m = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) {
    const [, key, op, value] = m;
    return op === '!=' ? l => l[key] !== value : l => l[key] === value;
  }
  if (term.startsWith('!')) {
    const key = term.slice(1);
    return l => !(key in l);
  }
  return l => term in l;
}

/** Splits on commas that are not inside `( )`. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) terms.push(current);
  return terms.filter(t => t.trim());
}

/** Kubernetes label selector semantics (equality and set-based) for the in-memory store. */
export function matchesLabelSelector(
  obj: KubeObject,
  selector?: string,
): boolean {
  if (!selector) return true;
  const labels = obj.metadata?.labels ?? {};
  return splitTerms(selector).every(t => parseRequirement(t)(labels));
}

/** Field selectors on metadata.name / metadata.namespace and any dotted path with = / !=. */
export function matchesFieldSelector(
  obj: KubeObject,
  selector?: string,
): boolean {
  if (!selector) return true;
  return splitTerms(selector).every(term => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!m) return true;
    const [, path, op, value] = m;
    let cur: any = obj;
    for (const part of path.split('.')) cur = cur?.[part];
    const actual = cur === undefined ? '' : String(cur);
    return op === '!=' ? actual !== value : actual === value;
  });
}
