/**
 * The frontend plugin's weight in the production app build (`backstage-cli package build` in
 * packages/app, what `yarn workspace app build` runs): gzip sizes of the chunks that exist for the
 * plugin, with what they pull in (React Flow, dagre, d3, ...).
 *
 * The chunk graph is read from the emitted code: every lazy load (`__webpack_require__.e("<id>")`,
 * minified to `x.e("<id>")`) is mapped through the file's source map to the source that asks for it.
 * A lazily loaded chunk is the plugin's when everything that loads it is the plugin's code or a chunk
 * that is the plugin's; one that other code loads too is reported apart (shared). In the initial
 * files (index.html's scripts) the plugin's own modules count by their share of the minified bytes.
 * (`--stats` would give the graph directly, but the CLI stalls writing this app's 140 MB stats.)
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { SourceMapConsumer } from 'source-map-js';
import { REPO_ROOT, type BenchOptions } from '../options';
import { round } from '../stats';

const APP = path.join(REPO_ROOT, 'packages/app');
const DIST = path.join(APP, 'dist');
const STATIC = path.join(DIST, 'static');
const PLUGIN = /plugins\/upbound\/src\//;
const LAZY_LOAD = /\b[A-Za-z_$][\w$]*\.e\("([\w-]+)"\)/g;

/** Newest modification time of the plugin's and the app's sources (not tests) and the lockfile. */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p))
        if (e !== 'node_modules' && e !== 'dist') walk(path.join(p, e));
    } else if (!/\.test\.|__fixtures__|__testUtils__|setupTests/.test(p))
      newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of [
    'plugins/upbound/src',
    'plugins/upbound/package.json',
    'plugins/upbound-common/src',
    'packages/app/src',
    'packages/app/package.json',
    'yarn.lock',
  ])
    walk(path.join(REPO_ROOT, p));
  return newest;
}

function build(log: (l: string) => void): Promise<void> {
  const logFile = path.join(REPO_ROOT, 'bench/out/app-build.log');
  log(`building the app (log: ${path.relative(REPO_ROOT, logFile)})`);
  return new Promise((resolve, reject) => {
    execFile(
      'yarn',
      ['backstage-cli', 'package', 'build'],
      { cwd: APP, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => {
        fs.mkdirSync(path.dirname(logFile), { recursive: true });
        fs.writeFileSync(logFile, `${stdout}\n${stderr}`);
        if (err) reject(new Error(`the app build failed; see ${logFile}`));
        else resolve();
      },
    );
  });
}

/** A package name (or the plugin's code) for a source path of a source map. */
function packageOf(source: string): string {
  if (PLUGIN.test(source)) return 'plugin code';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (m) return m[1];
  if (/plugins\/upbound-common\/src\//.test(source))
    return '@upbound-backstage/plugin-upbound-common';
  return 'other';
}

interface EmittedFile {
  file: string;
  chunk: string;
  /** Minified bytes per package. */
  bytes: Record<string, number>;
  /** Chunks it loads lazily, each with whether the source asking for it is the plugin's. */
  loads: Array<{ chunk: string; fromPlugin: boolean }>;
  gzip: number;
  raw: number;
}

const chunkOf = (file: string) => file.split('.')[0];

function readEmitted(file: string): EmittedFile {
  const full = path.join(STATIC, file);
  const code = fs.readFileSync(full, 'utf8');
  const out: EmittedFile = {
    file,
    chunk: chunkOf(file),
    bytes: {},
    loads: [],
    gzip: zlib.gzipSync(code, { level: 9 }).length,
    raw: Buffer.byteLength(code),
  };
  const mapFile = `${full}.map`;
  if (!file.endsWith('.js') || !fs.existsSync(mapFile)) {
    out.bytes.unmapped = out.raw;
    return out;
  }
  const consumer = new SourceMapConsumer(
    JSON.parse(fs.readFileSync(mapFile, 'utf8')),
  );
  const lines = code.split('\n');
  const mappings: Array<{
    source: string | null;
    generatedLine: number;
    generatedColumn: number;
  }> = [];
  consumer.eachMapping(m => mappings.push(m as any));
  for (let i = 0; i < mappings.length; i++) {
    const m = mappings[i];
    const next = mappings[i + 1];
    const end =
      next && next.generatedLine === m.generatedLine
        ? next.generatedColumn
        : lines[m.generatedLine - 1]?.length ?? m.generatedColumn;
    const key = m.source ? packageOf(m.source) : 'unmapped';
    out.bytes[key] =
      (out.bytes[key] ?? 0) + Math.max(0, end - m.generatedColumn);
  }
  lines.forEach((line, i) => {
    for (const match of line.matchAll(LAZY_LOAD)) {
      const pos = consumer.originalPositionFor({
        line: i + 1,
        column: match.index!,
      });
      out.loads.push({
        chunk: match[1],
        fromPlugin: !!pos.source && PLUGIN.test(pos.source),
      });
    }
  });
  return out;
}

const KiB = (b: number) => round(b / 1024, 1);

export async function bundle(o: BenchOptions, log: (l: string) => void) {
  const index = path.join(DIST, 'index.html');
  const stale =
    !fs.existsSync(index) || fs.statSync(index).mtimeMs < newestSource();
  if (o.buildApp || stale) await build(log);
  else
    log(
      'the app build is newer than its sources; not rebuilding (--build-app forces it)',
    );
  const html = fs.readFileSync(index, 'utf8');
  const initial = new Set(
    [...html.matchAll(/(?:src|href)="\/static\/([^"]+)"/g)].map(m => m[1]),
  );
  const files = fs
    .readdirSync(STATIC)
    .filter(f => /\.(js|css)$/.test(f))
    .map(readEmitted);
  const byChunk = new Map<string, EmittedFile[]>();
  for (const f of files)
    byChunk.set(f.chunk, [...(byChunk.get(f.chunk) ?? []), f]);

  // Who loads each lazy chunk: plugin code, or (code in) another chunk.
  const loaders = new Map<
    string,
    Array<{ chunk: string; fromPlugin: boolean }>
  >();
  for (const f of files)
    for (const l of f.loads)
      if (byChunk.has(l.chunk) && l.chunk !== f.chunk)
        loaders.set(l.chunk, [
          ...(loaders.get(l.chunk) ?? []),
          { chunk: f.chunk, fromPlugin: l.fromPlugin },
        ]);
  const isInitial = (chunk: string) =>
    (byChunk.get(chunk) ?? []).some(f => initial.has(f.file));
  const own = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [chunk, ls] of loaders) {
      if (own.has(chunk) || isInitial(chunk)) continue;
      if (ls.every(l => l.fromPlugin || own.has(l.chunk))) {
        own.add(chunk);
        changed = true;
      }
    }
  }
  const shared = [...loaders]
    .filter(
      ([c, ls]) =>
        !own.has(c) &&
        !isInitial(c) &&
        ls.some(l => l.fromPlugin || own.has(l.chunk)),
    )
    .map(([c]) => c);
  if (!own.size)
    throw new Error(
      "no lazily loaded chunk of the production build is the plugin's",
    );

  const byPackage: Record<string, number> = {};
  let ownGzip = 0;
  let ownRaw = 0;
  for (const chunk of own)
    for (const f of byChunk.get(chunk)!) {
      ownGzip += f.gzip;
      ownRaw += f.raw;
      const total = Object.values(f.bytes).reduce((x, y) => x + y, 0) || 1;
      for (const [k, v] of Object.entries(f.bytes))
        byPackage[k] = (byPackage[k] ?? 0) + (f.gzip * v) / total;
    }
  let initialGzip = 0;
  let initialRaw = 0;
  for (const f of files.filter(x => initial.has(x.file))) {
    const mine = f.bytes['plugin code'] ?? 0;
    const total = Object.values(f.bytes).reduce((x, y) => x + y, 0) || 1;
    initialRaw += mine;
    initialGzip += (f.gzip * mine) / total;
  }
  byPackage['plugin code (initial files)'] = initialGzip;
  const appGzip = files.reduce((n, f) => n + f.gzip, 0);
  const sharedFiles = shared.flatMap(c => byChunk.get(c)!);
  const sharedByPackage: Record<string, number> = {};
  for (const f of sharedFiles) {
    const total = Object.values(f.bytes).reduce((x, y) => x + y, 0) || 1;
    for (const [k, v] of Object.entries(f.bytes))
      sharedByPackage[k] = (sharedByPackage[k] ?? 0) + (f.gzip * v) / total;
  }
  // The largest packages, and every package of the graph view (React Flow, dagre, d3).
  const top = (b: Record<string, number>, n: number) =>
    Object.fromEntries(
      Object.entries(b)
        .filter(([, v]) => v >= 512)
        .sort((x, y) => y[1] - x[1])
        .filter(([k], i) => i < n || /^@xyflow\/|dagre|^d3-/.test(k))
        .map(([k, v]) => [k, KiB(v)]),
    );
  return {
    built: fs.statSync(index).mtime.toISOString(),
    app: { gzipKiB: KiB(appGzip), files: files.length },
    plugin: {
      gzipKiB: KiB(ownGzip + initialGzip),
      rawKiB: KiB(ownRaw + initialRaw),
      chunks: own.size,
      initialGzipKiB: KiB(initialGzip),
      byPackageGzipKiB: top(byPackage, 12),
      files: [...own].flatMap(c =>
        byChunk.get(c)!.map(f => ({ file: f.file, gzipKiB: KiB(f.gzip) })),
      ),
    },
    ...(shared.length
      ? {
          shared: {
            gzipKiB: KiB(sharedFiles.reduce((n, f) => n + f.gzip, 0)),
            chunks: shared.length,
            byPackageGzipKiB: top(sharedByPackage, 12),
            files: sharedFiles.map(f => ({
              file: f.file,
              gzipKiB: KiB(f.gzip),
            })),
          },
        }
      : {}),
  };
}
