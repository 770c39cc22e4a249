// JSON logs, one object per line, carrying the active span's trace_id and span_id so a log line
// leads to its trace (trace-to-logs correlation).
import { trace } from '@opentelemetry/api';

type Level = 'debug' | 'info' | 'warn' | 'error';

export function createLogger(service: string) {
  const write = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    const span = trace.getActiveSpan()?.spanContext();
    const record: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service,
      msg,
      ...fields,
    };
    if (span && span.traceId !== '00000000000000000000000000000000') {
      record.trace_id = span.traceId;
      record.span_id = span.spanId;
    }
    const line = `${JSON.stringify(record)}\n`;
    if (level === 'error' || level === 'warn') process.stderr.write(line);
    else process.stdout.write(line);
  };
  return {
    debug: (msg: string, f?: Record<string, unknown>) => write('debug', msg, f),
    info: (msg: string, f?: Record<string, unknown>) => write('info', msg, f),
    warn: (msg: string, f?: Record<string, unknown>) => write('warn', msg, f),
    error: (msg: string, f?: Record<string, unknown>) => write('error', msg, f),
  };
}

export type Logger = ReturnType<typeof createLogger>;
