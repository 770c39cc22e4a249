// The workspaces' layer order and a checker that finds imports crossing a workspace by relative
// path or reaching up a layer; labs/test/boundaries.test.ts runs it over the repo.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Bottom-up: a workspace may import only those listed before it (and itself). */
export const layers: readonly { dir: string; name: string }[] = [
  { dir: 'labs/traceql', name: '@dojo/traceql' },
  { dir: 'labs/course', name: '@dojo/course' },
  { dir: 'sample-app', name: '@dojo/sample-app' },
  { dir: 'labs/tempo-store', name: '@dojo/tempo-store' },
  { dir: 'graders', name: '@dojo/graders' },
  { dir: 'labs', name: '@dojo/labs' },
  { dir: 'site', name: '@dojo/site' },
];

const scanned = /\.(ts|mts|mjs|astro)$/;
const skippedDirs = new Set(['node_modules', 'dist', '.astro', '.dojo']);

/** Every module specifier a file names: static and dynamic imports, re-exports, import.meta.resolve. */
export function specifiersIn(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\.meta\.resolve\(\s*['"]([^'"]+)['"]/g,
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) found.push(m[1] as string);
  }
  return found;
}

export interface Violation {
  file: string;
  specifier: string;
  why: string;
}

/** The workspace (deepest root) a repo-relative path belongs to, or undefined outside all of them. */
function ownerOf(path: string): (typeof layers)[number] | undefined {
  let best: (typeof layers)[number] | undefined;
  for (const layer of layers) {
    if (
      (path === layer.dir || path.startsWith(`${layer.dir}/`)) &&
      (!best || layer.dir.length > best.dir.length)
    ) {
      best = layer;
    }
  }
  return best;
}

const rank = (name: string) => layers.findIndex((l) => l.name === name);

/**
 * The boundary rules for one file (path relative to the repo root, with '/'):
 * - another workspace is imported by package name, never by a relative path;
 * - never upward; a test, bench or script (anything outside src/) may still use a higher
 *   workspace's test kit, `@dojo/<name>/testing`, because an integration test drives the whole lab.
 */
export function checkFile(path: string, text: string): Violation[] {
  const owner = ownerOf(path);
  if (!owner) return [];
  const inSrc = path.slice(owner.dir.length + 1).startsWith('src/');
  const violations: Violation[] = [];
  for (const specifier of specifiersIn(text)) {
    if (specifier.startsWith('.')) {
      const target = relative('.', join(dirname(path), specifier))
        .split(sep)
        .join('/');
      const targetOwner = ownerOf(target);
      if (targetOwner && targetOwner !== owner) {
        violations.push({
          file: path,
          specifier,
          why: `reaches into ${targetOwner.name} by relative path; import it by package name`,
        });
      }
      continue;
    }
    const m = /^(@dojo\/[^/]+)(\/.*)?$/.exec(specifier);
    if (!m) continue;
    const [, name, subpath] = m as unknown as [string, string, string | undefined];
    if (name === owner.name) continue;
    if (rank(name) < 0) {
      violations.push({ file: path, specifier, why: `${name} is not in the layer order` });
    } else if (rank(name) > rank(owner.name) && !(subpath === '/testing' && !inSrc)) {
      violations.push({ file: path, specifier, why: `${owner.name} is below ${name}: an upward import` });
    }
  }
  return violations;
}

function* filesUnder(root: string, dir: string, nested: Set<string>): Generator<string> {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (skippedDirs.has(entry.name) || nested.has(path)) continue;
      yield* filesUnder(root, path, nested);
    } else if (scanned.test(entry.name)) {
      yield path;
    }
  }
}

/** Every violation in every workspace's files. */
export function scanRepo(root: string = resolve(import.meta.dirname, '../../..')): Violation[] {
  const violations: Violation[] = [];
  for (const layer of layers) {
    if (!existsSync(join(root, layer.dir))) continue;
    const nested = new Set(layers.filter((l) => l.dir.startsWith(`${layer.dir}/`)).map((l) => l.dir));
    for (const file of filesUnder(root, layer.dir, nested)) {
      violations.push(...checkFile(file, readFileSync(join(root, file), 'utf8')));
    }
  }
  return violations;
}
