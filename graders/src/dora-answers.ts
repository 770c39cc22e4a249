// Reads answers/dora.yaml: the learner's DORA figures and the TraceQL behind each. A malformed value is a
// one-line error naming the line and the fix; a missing part is left out, and its checks fail with a hint.
import { relative } from 'node:path';
import { UserError } from '@dojo/course';
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { readAnswerFile } from './answers.ts';

export interface DoraAnswers {
  path: string;
  /** when the learner ran the queries (ms); the grader looks at the traces as they were then */
  asOfMs?: number;
  /** N: the last N production deploys */
  deploys?: number;
  leadTime?: { query?: string; medianMs?: number; p90Ms?: number };
  changeFailureRate?: { deploysQuery?: string; failuresQuery?: string; value?: number };
}

export const doraExample = `as_of: 2025-06-02T10:30:00Z
deploys: 20
lead_time:
  query: '{ … }'
  median: 48m
  p90: 3h 10m
change_failure_rate:
  deploys_query: '{ … }'
  failures_query: '{ … }'
  value: 15%`;

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** "48m", "1h 10m", "2.5h", "3125s" → milliseconds; undefined when it is not a duration with units. */
export function parseDuration(raw: string): number | undefined {
  const text = raw.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?\s*(ms|s|min|m|h)\s*)+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|min|m|h)/g)) total += Number(m[1]) * units[m[2]!]!;
  return total;
}

/** "15%", "15 %", 0.15 → 0.15; undefined when it is not a rate. */
export function parseRate(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw >= 0 && raw <= 1 ? raw : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(String(raw));
  if (m) return Number(m[1]) <= 100 ? Number(m[1]) / 100 : undefined;
  const n = Number(String(raw).trim());
  return String(raw).trim() !== '' && n >= 0 && n <= 1 ? n : undefined;
}

export function readDoraAnswers(where: string): DoraAnswers {
  const found = readAnswerFile(where, 'dora.yaml', 'DORA figures and queries');
  const { text } = found;
  const path = relative(process.cwd(), found.path) || found.path;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (offset: number | undefined) => `${path} line ${lines.linePos(offset ?? 0).line}`;
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new UserError(`${at(e.pos[0])}: ${e.message.split('\n')[0]}`);
  }
  const answers: DoraAnswers = { path };
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return answers;
  if (!isMap(doc.contents))
    throw new UserError(`${path}: expected keys as_of, deploys, lead_time and change_failure_rate`);

  const fields = (map: YAMLMap, where: string, allowed: string[]) => {
    const out = new Map<string, { value: unknown; offset?: number }>();
    for (const item of map.items) {
      const key = isScalar(item.key) ? String(item.key.value) : '';
      if (!allowed.includes(key))
        throw new UserError(
          `${at(isScalar(item.key) ? item.key.range?.[0] : undefined)}: unknown key "${key}"${where}; expected ${allowed.join(', ')}`,
        );
      const node = item.value;
      const offset = (node as { range?: [number] } | null)?.range?.[0];
      out.set(key, {
        value: isScalar(node) ? node.value : node,
        ...(offset !== undefined ? { offset } : {}),
      });
    }
    return out;
  };
  const text_ = (f: { value: unknown; offset?: number } | undefined, what: string) => {
    if (f === undefined || f.value === null) return undefined;
    if (typeof f.value !== 'string' || f.value.trim() === '')
      throw new UserError(`${at(f.offset)}: ${what} must be a TraceQL query in quotes`);
    return f.value.trim();
  };
  const duration = (f: { value: unknown; offset?: number } | undefined, what: string) => {
    if (f === undefined || f.value === null) return undefined;
    const ms = parseDuration(String(f.value));
    if (ms === undefined)
      throw new UserError(
        `${at(f.offset)}: ${what} "${f.value}" needs a unit; write it like 48m, 1h 30m or 95s`,
      );
    return ms;
  };
  const section = (f: { value: unknown; offset?: number } | undefined, name: string) => {
    if (f === undefined || f.value === null) return undefined;
    if (!isMap(f.value))
      throw new UserError(`${at(f.offset)}: ${name} must hold indented keys (see the lab)`);
    return f.value;
  };

  const top = fields(doc.contents, '', ['as_of', 'deploys', 'lead_time', 'change_failure_rate']);
  const asOf = top.get('as_of');
  if (asOf && asOf.value !== null) {
    const raw = asOf.value;
    const ms =
      typeof raw === 'number'
        ? raw * 1000
        : /^\d{9,11}$/.test(String(raw))
          ? Number(raw) * 1000
          : Date.parse(String(raw));
    if (!Number.isFinite(ms))
      throw new UserError(
        `${at(asOf.offset)}: as_of "${raw}" is not a time; write the UTC time you ran the queries, like 2025-06-02T10:30:00Z (date -u +%FT%TZ)`,
      );
    answers.asOfMs = ms;
  }
  const deploys = top.get('deploys');
  if (deploys && deploys.value !== null) {
    const n = Number(deploys.value);
    if (!Number.isInteger(n) || n < 10 || n > 200)
      throw new UserError(
        `${at(deploys.offset)}: deploys must be a whole number from 10 to 200 (the lab uses 20)`,
      );
    answers.deploys = n;
  }
  const lead = section(top.get('lead_time'), 'lead_time');
  if (lead) {
    const f = fields(lead, ' under lead_time', ['query', 'median', 'p90']);
    answers.leadTime = {};
    const query = text_(f.get('query'), 'lead_time.query');
    const medianMs = duration(f.get('median'), 'lead_time.median');
    const p90Ms = duration(f.get('p90'), 'lead_time.p90');
    if (query !== undefined) answers.leadTime.query = query;
    if (medianMs !== undefined) answers.leadTime.medianMs = medianMs;
    if (p90Ms !== undefined) answers.leadTime.p90Ms = p90Ms;
  }
  const cfr = section(top.get('change_failure_rate'), 'change_failure_rate');
  if (cfr) {
    const f = fields(cfr, ' under change_failure_rate', ['deploys_query', 'failures_query', 'value']);
    answers.changeFailureRate = {};
    const deploysQuery = text_(f.get('deploys_query'), 'change_failure_rate.deploys_query');
    const failuresQuery = text_(f.get('failures_query'), 'change_failure_rate.failures_query');
    if (deploysQuery !== undefined) answers.changeFailureRate.deploysQuery = deploysQuery;
    if (failuresQuery !== undefined) answers.changeFailureRate.failuresQuery = failuresQuery;
    const value = f.get('value');
    if (value && value.value !== null) {
      const rate = parseRate(value.value);
      if (rate === undefined)
        throw new UserError(
          `${at(value.offset)}: change_failure_rate.value "${value.value}" is not a rate; write it like 15% or 0.15`,
        );
      answers.changeFailureRate.value = rate;
    }
  }
  return answers;
}
