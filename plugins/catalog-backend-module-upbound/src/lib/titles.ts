/**
 * Entity titles of a readable length. Kubernetes names reach 253 characters; the catalog does not
 * index values over 200 characters for text search, and long titles stretch tables and the
 * relations graph. Titles keep the start and the end of a long name (where names differ), and the
 * full name stays in the description and the `upbound.io/*` annotations.
 */

/** Longest title the provider emits (a control plane name of 63 characters may add to it). @public */
export const TITLE_MAX = 80;

/** Shortest part kept of an object's `namespace/name` in a title. */
const OBJECT_MIN = 32;

/** `text` cut in the middle to `max` characters, with an ellipsis where it was cut. @public */
export function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep * 0.6);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/**
 * Title of a claim or XR entity: `<namespace>/<name> (<control plane>)`, the way kubectl names
 * objects, so searching the catalog for `namespace/name` finds it.
 * @public
 */
export function claimTitle(
  name: string,
  namespace: string | undefined,
  controlPlaneName: string,
): string {
  const suffix = ` (${controlPlaneName})`;
  const object = namespace ? `${namespace}/${name}` : name;
  return `${shortenMiddle(
    object,
    Math.max(TITLE_MAX - suffix.length, OBJECT_MIN),
  )}${suffix}`;
}

/** Title of a claim API entity: `<Kind> (<group>)`, the group shortened when long. @public */
export function claimApiTitle(kind: string, group: string): string {
  return `${kind} (${shortenMiddle(
    group,
    Math.max(TITLE_MAX - kind.length - 3, OBJECT_MIN),
  )})`;
}

/** `a` or `an` before a kind, by its first letter (`an App`, `a Bucket`). @public */
export function indefiniteArticle(word: string): 'a' | 'an' {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
