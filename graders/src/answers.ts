// Reads a learner's answers (a folder, or one file given with --answers). Every mistake is reported
// with the file and the line (and column) a learner must fix.
import { readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { UserError } from '@dojo/course';
import { type Document, isMap, isScalar, isSeq, Parser, parseDocument } from 'yaml';

/** Real answers are a few kilobytes; anything this large is the wrong file, and parsing it costs memory. */
export const maxAnswerBytes = 256 * 1024;

const shown = (path: string) => relative(process.cwd(), path) || path;

/** `where` is the answers folder, or the answer file itself when --answers names a file. */
function answerPath(where: string, name: string): string {
  try {
    if (statSync(where).isFile()) {
      const kind = (p: string) => (extname(p) === '.md' ? 'Markdown' : 'YAML');
      if (kind(where) !== kind(name))
        throw new UserError(
          `--answers ${shown(where)}: this grade reads ${name} (${kind(name)}); pass that file or the answers folder`,
        );
      return where;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    // missing: reported below with the path the learner should create
  }
  return join(where, name);
}

export function readAnswerFile(where: string, name: string, what: string): { path: string; text: string } {
  const path = answerPath(where, name);
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory())
      throw new UserError(`${shown(path)} is a folder; write your ${what} in a file of that name`);
    size = stat.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${shown(path)} not found: write your ${what} there (see the lab's instructions)`);
  }
  if (size > maxAnswerBytes) {
    throw new UserError(
      `${shown(path)} is ${(size / 1024 / 1024).toFixed(1)} MB; answers files are limited to ${maxAnswerBytes / 1024} KB: is it the right file?`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UserError(
      `cannot read ${shown(path)} (${(e as NodeJS.ErrnoException).code}); check its permissions`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = '\u0000';
  }
  if (text.includes('\u0000'))
    throw new UserError(`${shown(path)} is not UTF-8 text; write your ${what} in a plain text file`);
  return { path, text };
}

/** Where the quoted text that an "unclosed quote" error ends in begins, as an offset into the source. */
function unclosedQuoteStart(source: string, errorAt: number): number | undefined {
  let found: number | undefined;
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const t = node as { type?: string; offset?: number; source?: string };
    if (t.type?.endsWith('quoted-scalar') && t.offset !== undefined && t.source !== undefined) {
      if (t.offset <= errorAt && t.offset + t.source.length >= errorAt) found = t.offset;
    }
    for (const value of Object.values(node)) walk(value);
  };
  for (const token of new Parser().parse(source)) walk(token);
  return found;
}

/** The first YAML error as "line L, column C: what", with lines counted from `firstLine`. */
function yamlProblem(doc: Document, source: string, fix: string, firstLine = 1): string | undefined {
  const e = doc.errors[0];
  if (!e) return undefined;
  const at = (offset: number) => {
    const { line, col } = positionIn(source, offset);
    return `line ${line + firstLine - 1}, column ${col}`;
  };
  if (e.code === 'MISSING_CHAR' && /quote/.test(e.message)) {
    const start = unclosedQuoteStart(source, e.pos[0]);
    if (start !== undefined) {
      const quote = source[start];
      return `${at(start)}: this quoted text is never closed; end it with ${quote} on the same line`;
    }
  }
  if (e.code === 'DUPLICATE_KEY') return `${at(e.pos[0])}: this key appears twice; keep one`;
  return `${at(e.pos[0])}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')} (${fix})`;
}

function positionIn(source: string, offset: number): { line: number; col: number } {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, col: before.at(-1)!.length + 1 };
}

export interface AnswerEntry {
  line: number;
  /** the answer's text, trimmed; absent when `problem` says why it cannot be read as one */
  value?: string;
  problem?: string;
}

/**
 * A YAML map of id → text, each answer read on its own: an answer that is not text (a map, a list, a
 * number, nothing) gets a `problem` and the others still count. Only a file that cannot be read as
 * such a map at all is an error. `kind` names the values in messages ("a query", "a choice id").
 */
export function readAnswerEntries(where: string, name: string, kind: string): Map<string, AnswerEntry> {
  const { path, text } = readAnswerFile(where, name, `answers as "id: value" lines`);
  const doc = parseDocument(text, { uniqueKeys: true });
  const problem = yamlProblem(doc, text, `write each answer on its own line as id: 'value'`);
  if (problem) throw new UserError(`${shown(path)} ${problem}`);
  const map = new Map<string, AnswerEntry>();
  if (!isMap(doc.contents)) throw new UserError(`${shown(path)}: expected lines of "question-id: ${kind}"`);
  for (const item of doc.contents.items) {
    const key = isScalar(item.key) ? item.key : undefined;
    const id = String(key?.value ?? '');
    const line = positionIn(text, key?.range?.[0] ?? 0).line;
    if ((isMap(item.value) || isSeq(item.value)) && item.value.flow) {
      // A TraceQL query starts with "{", which YAML reads as a map unless the query is quoted.
      map.set(id, {
        line,
        problem: `${shown(path)} line ${line}: YAML reads the answer to ${id} as a ${isMap(item.value) ? 'map' : 'list'}; put it in single quotes: ${id}: '…'`,
      });
      continue;
    }
    const value = isScalar(item.value) ? item.value.value : undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      map.set(id, { line, problem: `${shown(path)} line ${line}: expected ${kind} for ${id}` });
      continue;
    }
    map.set(id, { value: value.trim(), line });
  }
  return map;
}

/** readAnswerEntries where any unreadable answer stops grading (the quiz: one line, exit 2). */
export function readIdMap(
  where: string,
  name: string,
  kind: string,
): Map<string, { value: string; line: number }> {
  const map = new Map<string, { value: string; line: number }>();
  for (const [id, entry] of readAnswerEntries(where, name, kind)) {
    if (entry.problem !== undefined || entry.value === undefined) throw new UserError(entry.problem ?? id);
    map.set(id, { value: entry.value, line: entry.line });
  }
  return map;
}

export interface RcaReport {
  /** optional and not graded: a report names what the traces show, not a scenario id */
  scenario?: string;
  service: string;
  span: string;
  cause: string;
  evidence: string[];
  prose: string;
  path: string;
}

export function readRca(where: string): RcaReport {
  const { path, text } = readAnswerFile(where, 'rca.md', 'root-cause report');
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new UserError(`${shown(path)}: expected front matter between two "---" lines at the top`);
  const doc = parseDocument(match[1]!);
  // The front matter starts on the file's second line, after the first "---".
  const problem = yamlProblem(
    doc,
    match[1]!,
    'front matter is "key: value" lines, as in the lab\'s example',
    2,
  );
  if (problem) throw new UserError(`${shown(path)} ${problem}`);
  const fm = (isMap(doc.contents) ? doc.toJSON() : {}) as Record<string, unknown>;
  for (const key of ['service', 'span', 'cause'] as const) {
    if (typeof fm[key] !== 'string' || (fm[key] as string).trim() === '') {
      throw new UserError(`${shown(path)}: front matter needs "${key}" (text)`);
    }
  }
  const evidence = Array.isArray(fm.evidence)
    ? fm.evidence.map(String)
    : typeof fm.evidence === 'string'
      ? [fm.evidence]
      : [];
  if (evidence.length < 1 || evidence.length > 5) {
    throw new UserError(`${shown(path)}: "evidence" must list 1 to 5 trace ids, found ${evidence.length}`);
  }
  return {
    ...(typeof fm.scenario === 'string' ? { scenario: fm.scenario.trim() } : {}),
    service: String(fm.service).trim(),
    span: String(fm.span).trim(),
    cause: String(fm.cause).trim(),
    evidence: evidence.map((e) => e.trim().toLowerCase()),
    prose: match[2]!.trim(),
    path,
  };
}
