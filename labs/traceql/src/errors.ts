// Errors a query can earn, in Tempo's classes: a parse error (the text is not TraceQL), a type or
// validation error (it parses but Tempo refuses to run it), an invalid regex, an unsupported feature.
// Every one becomes HTTP 400 at the API, with a position where Tempo gives one.

export type TraceQLErrorKind = 'parse' | 'type' | 'regex' | 'unsupported' | 'request';

export interface TraceQLError {
  readonly kind: TraceQLErrorKind;
  /** Written for a learner: what is wrong and, where it helps, what to write instead. */
  readonly message: string;
  /** 1-based, where the problem starts (parse errors; type errors point at the expression). */
  readonly line?: number;
  readonly column?: number;
  readonly status: 400;
}

/** Thrown inside the parser and validator only; never escapes the engine's public functions. */
export class QueryError extends Error {
  readonly error: TraceQLError;
  constructor(kind: TraceQLErrorKind, message: string, line?: number, column?: number) {
    super(message);
    this.error = { kind, message, status: 400, ...(line !== undefined ? { line, column } : {}) };
  }
}

/** One line, as the CLI, graders and site print it: "line 1, column 13: …". */
export function describeError(error: TraceQLError): string {
  return error.line !== undefined
    ? `line ${error.line}, column ${error.column}: ${error.message}`
    : error.message;
}
