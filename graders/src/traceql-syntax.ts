// TraceQL checks before anything is sent to Tempo, by the lab's own engine (@dojo/traceql): the same
// parser, rules and messages as the store, the CLI and the site. A bad query gets its line, column
// and a reason — parse errors and the type errors Tempo would refuse alike.
import { parseTraceQL } from '@dojo/traceql';

export type SyntaxCheck = { ok: true } | { ok: false; line: number; column: number; message: string };

export function checkTraceql(query: string): SyntaxCheck {
  const parsed = parseTraceQL(query);
  if (parsed.ok) return { ok: true };
  const { line = 1, column = 1, message } = parsed.error;
  return { ok: false, line, column, message };
}

export function describeSyntaxError(check: Exclude<SyntaxCheck, { ok: true }>): string {
  return `line ${check.line}, column ${check.column}: ${check.message}`;
}
