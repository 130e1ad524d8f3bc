/*
 * Curves from more than one run: a size measured again (or measured only later, when an earlier run
 * could not) replaces that size's point; every point names the run it comes from, and every run keeps
 * its own load and settings, so RESULTS.md can say which figures were taken under which conditions.
 */
import { CURVE_SIZES } from './options';

const sizeOf = (p: any) => `${p.mcps}x${p.claims}`;

function runOf(r: any) {
  return {
    startedAt: r.startedAt,
    durationSeconds: r.durationSeconds,
    loadBefore: r.machine.loadBefore,
    loadAfter: r.machine.loadAfter,
    spaceMemoryLimit: r.params.spaceMemoryLimit,
    sizes: (r.curves ?? []).map(sizeOf),
  };
}

/** `next` (a --curves run) merged into `prev` (the saved curves file). */
export function mergeCurves(prev: any, next: any) {
  const replaced = new Set((next.curves ?? []).map(sizeOf));
  const order = (p: any) => {
    const i = CURVE_SIZES.findIndex(s => sizeOf(s) === sizeOf(p));
    return i < 0 ? CURVE_SIZES.length : i;
  };
  const curves = [
    ...(prev.curves ?? [])
      .filter((p: any) => !replaced.has(sizeOf(p)))
      .map((p: any) => ({ run: prev.startedAt, ...p })),
    ...(next.curves ?? []).map((p: any) => ({ run: next.startedAt, ...p })),
  ].sort((a, b) => order(a) - order(b) || a.totalClaims - b.totalClaims);
  const runs = [...(prev.runs ?? [runOf(prev)]), runOf(next)].filter(run =>
    curves.some(p => p.run === run.startedAt),
  );
  return { ...next, curves, runs };
}
