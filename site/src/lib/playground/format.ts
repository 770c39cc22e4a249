// How the playground writes durations, times and attribute values.

export function duration(ns: number): string {
  const ms = ns / 1e6;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 0.1) return `${ms.toFixed(1)} ms`;
  return `${(ns / 1000).toFixed(0)} µs`;
}

/** "12 s ago", "3 min ago": recordings are rebased to end now. */
export function ago(ns: bigint, nowMs = Date.now()): string {
  const s = Math.max(0, Math.round((nowMs - Number(ns / 1_000_000n)) / 1000));
  return s < 90 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

type AnyValue = Record<string, unknown>;

/** An OTLP/JSON value as TraceQL would write it: strings quoted, numbers and enums bare. */
export function value(v: AnyValue | undefined): string {
  if (!v) return 'nil';
  if ('stringValue' in v) return JSON.stringify(v.stringValue);
  if ('intValue' in v) return String(v.intValue);
  if ('doubleValue' in v) return String(v.doubleValue);
  if ('boolValue' in v) return String(v.boolValue);
  if ('arrayValue' in v) {
    const items = ((v.arrayValue as { values?: AnyValue[] }).values ?? []).map(value);
    return `[${items.join(', ')}]`;
  }
  return 'nil';
}
