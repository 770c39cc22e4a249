// Looks through a tree for anything of the answer key: a reference query, a scenario's fault in words, a
// root cause written as a report would, a quiz explanation or the quiz key as an answers file would hold it.
// The learner edition's build runs it on its own output, and its test on the built edition.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultVariant, fillVariant, releaseOf } from '@dojo/course';
import type { KeyDoc } from './strip-keys.ts';

export interface Leak {
  file: string;
  /** what of the key it holds, e.g. "traceql q-errors reference" */
  what: string;
}

interface Needle {
  what: string;
  text: string;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The course's own answer: a question's {{…}} placeholders filled with no seed's values. */
const ownValues = (text: string) =>
  fillVariant(
    text,
    defaultVariant,
    (tier, scenario) => releaseOf(tier, scenario, undefined, undefined).revision,
  );

/**
 * Every literal of the key worth finding, in the forms a file would hold it (as is, and JSON-escaped).
 * A seeded learner's answers differ; the course's own values are the ones a file can hold.
 */
function needles(key: KeyDoc): Needle[] {
  const out: Needle[] = [];
  const add = (what: string, raw: unknown) => {
    if (typeof raw !== 'string') return;
    const text = ownValues(raw);
    if (squash(text).length < 8) return;
    out.push({ what, text: squash(text) });
    const escaped = JSON.stringify(squash(text)).slice(1, -1);
    if (escaped !== squash(text)) out.push({ what, text: escaped });
  };
  for (const [id, s] of Object.entries(key.scenarios)) {
    if (!s.rootCause) continue; // healthy: nothing to hide
    add(`scenario ${id} reference`, s.reference);
    add(`scenario ${id} fault (broken)`, s.broken);
  }
  for (const [id, q] of Object.entries(key.traceql)) add(`traceql ${id} reference`, q.reference);
  for (const [id, q] of Object.entries(key.quiz)) add(`quiz ${id} explanation`, q.explanation);
  return out;
}

/** A report's or a key's way of writing a root cause: `cause: <id>` or `"cause": "<id>"`. */
function rootCausePattern(key: KeyDoc): RegExp | undefined {
  const causes = Object.values(key.scenarios)
    .map((s) => (s.rootCause as { cause?: string } | null)?.cause)
    .filter((c): c is string => Boolean(c));
  if (causes.length === 0) return undefined;
  return new RegExp(`["']?\\bcause["']?\\s*:\\s*["']?(${causes.join('|')})\\b`);
}

/** The quiz key as an answers file holds it, a `<question id>: <right choice>` line per question. */
function quizKeyLines(key: KeyDoc): RegExp[] {
  return Object.entries(key.quiz).map(
    ([id, q]) => new RegExp(`^\\s*${id}\\s*:\\s*["']?${q.answer}["']?\\s*(#.*)?$`, 'm'),
  );
}

const entities: Record<string, string> = { quot: '"', apos: "'", lt: '<', gt: '>', amp: '&', nbsp: ' ' };

/** A page's text as a reader sees it: tags dropped (highlighted code is split into many), entities decoded. */
function pageText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
      e[0] === '#'
        ? String.fromCodePoint(
            e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
          )
        : (entities[e.toLowerCase()] ?? m),
    );
}

const skipDirs = new Set(['.git', 'node_modules', 'dist', '.astro', 'test-results']);

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) {
      if (!skipDirs.has(name)) yield* files(path);
    } else if (st.isFile() && st.size < 20_000_000) yield path;
  }
}

/** Everything of `key` found under `root`, one entry per file and kind of leak. */
export function scanForKeys(root: string, key: KeyDoc): Leak[] {
  const list = needles(key);
  const cause = rootCausePattern(key);
  const quiz = quizKeyLines(key);
  const leaks: Leak[] = [];
  for (const path of files(root)) {
    const buf = readFileSync(path);
    if (buf.includes(0)) continue; // binary
    const raw = buf.toString('utf8');
    const text = squash(path.endsWith('.html') ? `${raw} ${pageText(raw)}` : raw);
    const file = relative(root, path);
    const seen = new Set<string>();
    for (const n of list) {
      if (!seen.has(n.what) && text.includes(n.text)) {
        seen.add(n.what);
        leaks.push({ file, what: n.what });
      }
    }
    const c = cause?.exec(raw);
    if (c) leaks.push({ file, what: `a root cause written out (cause: ${c[1]})` });
    // Three or more of those lines in one file are the quiz key.
    if (quiz.filter((line) => line.test(raw)).length >= 3)
      leaks.push({ file, what: 'the quiz key (question id: right choice)' });
  }
  return leaks;
}
