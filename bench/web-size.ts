/**
 * Size of the JavaScript the dashboard loads first: the entry chunk of dist/web plus every chunk it
 * imports statically (from Vite's build manifest), gzipped at level 9 and at the default level 6.
 * Chunks loaded with import() (chat, admin) are listed apart. Budget (SPEC section 8): 300 KB gzipped.
 *
 *   npx tsx bench/web-size.ts        (builds dist/web from the current sources first)
 *
 * Writes bench/results/web-size.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_BUDGET_GZIP_BYTES = 300 * 1024;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export interface ChunkSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface WebSize {
  entry: string;
  initial_js: ChunkSize[];
  initial_js_bytes: number;
  initial_js_gzip: number;
  initial_js_gzip_level6: number;
  initial_css_gzip: number;
  lazy_js: ChunkSize[];
  budget_gzip: number;
  within_budget: boolean;
}

function size(dir: string, file: string): ChunkSize {
  const body = readFileSync(path.join(dir, file));
  return { file, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
}

export function measureWebSize(dir: string): WebSize {
  const manifest = JSON.parse(readFileSync(path.join(dir, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entryKey) throw new Error('no entry chunk in the Vite manifest');
  const initial = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    if (initial.has(key)) return;
    initial.add(key);
    for (const c of manifest[key]!.css ?? []) css.add(c);
    for (const dep of manifest[key]!.imports ?? []) visit(dep);
  };
  visit(entryKey);
  const lazy = Object.keys(manifest).filter((k) => !initial.has(k) && manifest[k]!.file.endsWith('.js'));
  const initialJs = [...initial].map((k) => size(dir, manifest[k]!.file));
  const level6 = [...initial].reduce((sum, k) => sum + gzipSync(readFileSync(path.join(dir, manifest[k]!.file)), { level: 6 }).length, 0);
  const gzip = initialJs.reduce((s, c) => s + c.gzip, 0);
  return {
    entry: manifest[entryKey]!.file,
    initial_js: initialJs,
    initial_js_bytes: initialJs.reduce((s, c) => s + c.bytes, 0),
    initial_js_gzip: gzip,
    initial_js_gzip_level6: level6,
    initial_css_gzip: [...css].reduce((s, f) => s + size(dir, f).gzip, 0),
    lazy_js: lazy.map((k) => size(dir, manifest[k]!.file)),
    budget_gzip: WEB_BUDGET_GZIP_BYTES,
    within_budget: gzip <= WEB_BUDGET_GZIP_BYTES,
  };
}

async function main(): Promise<void> {
  const dir = path.join(ROOT, 'dist/web');
  // Always measure the current sources: a production build takes a few seconds.
  const { build } = await import('vite');
  process.env.NODE_ENV = 'production';
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  if (!existsSync(path.join(dir, '.vite/manifest.json'))) throw new Error('the build wrote no manifest');
  const result = measureWebSize(dir);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `dashboard first load: ${result.initial_js.length} JS file(s), ${kb(result.initial_js_bytes)} raw, ${kb(result.initial_js_gzip)} gzipped (level 9; ${kb(result.initial_js_gzip_level6)} at level 6), CSS ${kb(result.initial_css_gzip)} gzipped`,
  );
  for (const c of result.lazy_js) console.log(`  lazy ${c.file}: ${kb(c.gzip)} gzipped`);
  console.log(`budget ${kb(result.budget_gzip)}: ${result.within_budget ? 'within' : 'OVER'}`);
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(
    path.join(ROOT, 'bench/results/web-size.json'),
    `${JSON.stringify({ command: 'npx tsx bench/web-size.ts', measured_at: new Date().toISOString(), ...result }, null, 2)}\n`,
  );
  if (!result.within_budget) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
