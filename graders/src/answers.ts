// Reads a learner's answers folder. Every mistake is reported with the file and line a learner must fix.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { GradingError } from './grade-model.ts';

const shown = (path: string) => relative(process.cwd(), path) || path;

function readAnswerFile(dir: string, name: string, what: string): { path: string; text: string } {
  const path = join(dir, name);
  if (!existsSync(path)) {
    throw new GradingError(`${shown(path)} not found: write your ${what} there (see the lab's instructions)`);
  }
  return { path, text: readFileSync(path, 'utf8') };
}

/** A YAML map of id → text; `kind` names the values in messages ("a query", "a choice id"). */
export function readIdMap(
  dir: string,
  name: string,
  kind: string,
): Map<string, { value: string; line: number }> {
  const { path, text } = readAnswerFile(dir, name, `answers as "id: value" lines`);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const { line, col } = lines.linePos(e.pos[0]);
    throw new GradingError(`${shown(path)} line ${line}, column ${col}: ${e.message.split('\n')[0]}`);
  }
  const map = new Map<string, { value: string; line: number }>();
  if (!isMap(doc.contents))
    throw new GradingError(`${shown(path)}: expected lines of "question-id: ${kind}"`);
  for (const item of doc.contents.items) {
    const key = isScalar(item.key) ? item.key : undefined;
    const id = String(key?.value ?? '');
    const line = lines.linePos(key?.range?.[0] ?? 0).line;
    const value = isScalar(item.value) ? item.value.value : undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new GradingError(`${shown(path)} line ${line}: expected ${kind} for ${id}`);
    }
    map.set(id, { value: value.trim(), line });
  }
  return map;
}

export interface RcaReport {
  scenario: string;
  service: string;
  span: string;
  cause: string;
  evidence: string[];
  prose: string;
  path: string;
}

export function readRca(dir: string): RcaReport {
  const { path, text } = readAnswerFile(dir, 'rca.md', 'root-cause report');
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match)
    throw new GradingError(`${shown(path)}: expected front matter between two "---" lines at the top`);
  const lines = new LineCounter();
  const doc = parseDocument(match[1]!, { lineCounter: lines });
  if (doc.errors.length > 0) {
    const { line } = lines.linePos(doc.errors[0]!.pos[0]);
    throw new GradingError(`${shown(path)} line ${line + 1}: ${doc.errors[0]!.message.split('\n')[0]}`);
  }
  const fm = (doc.toJSON() ?? {}) as Record<string, unknown>;
  for (const key of ['scenario', 'service', 'span', 'cause'] as const) {
    if (typeof fm[key] !== 'string' || (fm[key] as string).trim() === '') {
      throw new GradingError(`${shown(path)}: front matter needs "${key}" (text)`);
    }
  }
  const evidence = Array.isArray(fm.evidence)
    ? fm.evidence.map(String)
    : typeof fm.evidence === 'string'
      ? [fm.evidence]
      : [];
  if (evidence.length < 1 || evidence.length > 5) {
    throw new GradingError(`${shown(path)}: "evidence" must list 1 to 5 trace ids, found ${evidence.length}`);
  }
  return {
    scenario: String(fm.scenario).trim(),
    service: String(fm.service).trim(),
    span: String(fm.span).trim(),
    cause: String(fm.cause).trim(),
    evidence: evidence.map((e) => e.trim().toLowerCase()),
    prose: match[2]!.trim(),
    path,
  };
}
