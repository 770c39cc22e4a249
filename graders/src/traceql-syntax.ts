// TraceQL syntax check with Grafana's own Lezer grammar: a bad query gets its line, column and a
// plain-language reason before anything is sent to Tempo.
import { parser } from '@grafana/lezer-traceql';

export type SyntaxCheck = { ok: true } | { ok: false; line: number; column: number; message: string };

function position(query: string, offset: number): { line: number; column: number } {
  const before = query.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

function reason(query: string, from: number): string {
  const quotes = (query.match(/"/g) ?? []).length;
  if (quotes % 2 === 1) return 'a string is not closed: a `"` is missing';
  const opens = (query.match(/\{/g) ?? []).length;
  const closes = (query.match(/\}/g) ?? []).length;
  if (opens > closes) return 'a `{` is not closed: expected `}`';
  if (closes > opens) return 'a `}` closes nothing';
  if (!query.trim().startsWith('{')) return 'a TraceQL query starts with a span selector `{ … }`';
  const rest = query.slice(from).trimStart();
  if (rest === '' || rest.startsWith('}') || rest.startsWith('&&') || rest.startsWith('||')) {
    return 'expected a value or a complete condition here';
  }
  const token = rest.match(/^\S+/)?.[0] ?? rest[0];
  return `unexpected \`${token}\``;
}

export function checkTraceql(query: string): SyntaxCheck {
  if (query.trim() === '') return { ok: false, line: 1, column: 1, message: 'the query is empty' };
  let errorAt = -1;
  parser.parse(query).iterate({
    enter: (node) => {
      if (errorAt === -1 && node.type.isError) errorAt = node.from;
    },
  });
  if (errorAt === -1) return { ok: true };
  return { ok: false, ...position(query, errorAt), message: reason(query, errorAt) };
}

export function describeSyntaxError(check: Exclude<SyntaxCheck, { ok: true }>): string {
  return `line ${check.line}, column ${check.column}: ${check.message}`;
}
