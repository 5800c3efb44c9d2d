// What each dashboard view makes the browser download, in bytes raw and gzipped, from Vite's build
// manifest: the entry with its static imports (the overview), and what opening each lazy view adds; and
// the survey widget (GET /widget.js) that customer sites load, served as written from src/server/widget.
// Run after `npm run build:web`:   npx tsx bench/web-size.ts [--json]
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WIDGET_SOURCE } from '../src/server/routes/widget.ts';

export const WEB_DIST = resolve(import.meta.dirname, '../dist/web');

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, Chunk>;

export interface Size {
  files: string[];
  raw: number;
  gzip: number;
}

function size(files: Iterable<string>, root = WEB_DIST): Size {
  const list = [...files].sort();
  let raw = 0;
  let gzip = 0;
  for (const f of list) {
    const buf = readFileSync(join(root, f));
    raw += buf.length;
    // Level 6, zlib's default, is what servers and CDNs typically use.
    gzip += gzipSync(buf, { level: 6 }).length;
  }
  return { files: list, raw, gzip };
}

/** The files a chunk needs before it runs: itself, its static imports (recursively) and their CSS. */
function closure(m: Manifest, key: string, into = new Set<string>()): Set<string> {
  const c = m[key];
  if (!c || into.has(c.file)) return into;
  into.add(c.file);
  for (const css of c.css ?? []) into.add(css);
  for (const i of c.imports ?? []) closure(m, i, into);
  return into;
}

export function webSizes(): Record<string, Size & { js: Size; css: Size }> {
  const manifestPath = join(WEB_DIST, '.vite/manifest.json');
  if (!existsSync(manifestPath)) throw new Error('no build manifest: run `npm run build:web` first');
  const m: Manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entryKey = Object.keys(m).find((k) => m[k]!.isEntry)!;
  const entry = closure(m, entryKey);
  const split = (files: Set<string>) => {
    const all = size(files);
    return { ...all, js: size([...files].filter((f) => f.endsWith('.js'))), css: size([...files].filter((f) => f.endsWith('.css'))) };
  };
  const out: Record<string, Size & { js: Size; css: Size }> = { 'overview (first load: entry + static imports)': split(entry) };
  // Not part of the dashboard build: measured apart from it, with no CSS (it sets styles through the DOM).
  const widget = size([basename(WIDGET_SOURCE)], dirname(WIDGET_SOURCE));
  out['survey widget (/widget.js, on customer sites)'] = { ...widget, js: widget, css: size([]) };
  for (const [key, c] of Object.entries(m)) {
    if (!c.isDynamicEntry) continue;
    const added = new Set([...closure(m, key)].filter((f) => !entry.has(f)));
    const name = `${key.replace(/^views\//, '').replace(/\.tsx$/, '')} (adds)`;
    out[name] = split(added);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = webSizes();
  if (process.argv.includes('--json')) console.log(JSON.stringify(sizes, null, 2));
  else {
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
    console.log(`${'what'.padEnd(48)}${'JS gzip'.padStart(10)}${'CSS gzip'.padStart(10)}${'JS raw'.padStart(10)}`);
    for (const [name, s] of Object.entries(sizes)) console.log(`${name.padEnd(48)}${kb(s.js.gzip)}${kb(s.css.gzip)}${kb(s.js.raw)}`);
  }
}
