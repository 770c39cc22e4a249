// Tempo's HTTP API as the CLI and graders use it: readiness, TraceQL search and trace by id, with the
// API's quirks handled (ids without leading zeros, 404 on a missing trace, 400 on bad TraceQL).
import { tempoUrl } from '@dojo/labs';
import { normalizeTraceId, parseTempoTrace, type TraceView } from './trace-model.ts';

export class TempoError extends Error {
  readonly exitCode = 2;
}

export interface SearchOptions {
  /** unix seconds; Tempo wants both or neither */
  start?: number;
  end?: number;
  limit?: number;
  /** spans per span set (Tempo's default is 3) */
  spss?: number;
}

export interface MatchedSpan {
  spanId: string;
  name: string;
  startMs: number;
  durationMs: number;
  attributes: Record<string, unknown>;
}

export interface TraceMatch {
  traceId: string;
  rootServiceName: string;
  rootTraceName: string;
  startMs: number;
  durationMs: number;
  spans: MatchedSpan[];
  matched: number;
}

type RawSearch = {
  traces?: {
    traceID: string;
    rootServiceName?: string;
    rootTraceName?: string;
    startTimeUnixNano?: string;
    durationMs?: number;
    spanSet?: RawSpanSet;
    spanSets?: RawSpanSet[];
  }[];
};
type RawSpanSet = {
  matched?: number;
  spans?: {
    spanID: string;
    name?: string;
    startTimeUnixNano?: string;
    durationNanos?: string;
    attributes?: { key: string; value?: Record<string, unknown> }[];
  }[];
};

const flatValue = (v: Record<string, unknown> | undefined) =>
  v
    ? (v.stringValue ??
      (v.intValue !== undefined ? Number(v.intValue) : undefined) ??
      v.doubleValue ??
      v.boolValue)
    : undefined;

export class TempoClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string = tempoUrl(), timeoutMs = 10_000) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
  }

  private async get(path: string): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const reason = (e as Error).name === 'TimeoutError' ? 'timed out' : 'is unreachable';
      throw new TempoError(
        `Tempo at ${this.baseUrl} ${reason} (TEMPO_URL); is the lab running? try \`make lab-up\``,
      );
    }
  }

  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`${this.baseUrl}/ready`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  async search(q: string, options: SearchOptions = {}): Promise<TraceMatch[]> {
    const params = new URLSearchParams({
      q,
      limit: String(options.limit ?? 20),
      spss: String(options.spss ?? 3),
    });
    if (options.start !== undefined && options.end !== undefined) {
      params.set('start', String(Math.floor(options.start)));
      params.set('end', String(Math.ceil(options.end)));
    }
    const res = await this.get(`/api/search?${params}`);
    const text = await res.text();
    if (res.status === 400) throw new TempoError(`Tempo rejected the query: ${text.trim().split('\n')[0]}`);
    if (!res.ok)
      throw new TempoError(`Tempo search failed with HTTP ${res.status}: ${text.trim().slice(0, 200)}`);
    const body = JSON.parse(text) as RawSearch;
    return (body.traces ?? []).map((t) => {
      const sets = t.spanSets ?? (t.spanSet ? [t.spanSet] : []);
      return {
        traceId: normalizeTraceId(t.traceID),
        rootServiceName: t.rootServiceName ?? '',
        rootTraceName: t.rootTraceName ?? '',
        startMs: Number(BigInt(t.startTimeUnixNano ?? '0') / 1_000_000n),
        durationMs: t.durationMs ?? 0,
        matched: sets.reduce((n, s) => n + (s.matched ?? 0), 0),
        spans: sets.flatMap((s) =>
          (s.spans ?? []).map((sp) => ({
            spanId: sp.spanID,
            name: sp.name ?? '',
            startMs: Number(BigInt(sp.startTimeUnixNano ?? '0') / 1_000_000n),
            durationMs: Number(BigInt(sp.durationNanos ?? '0')) / 1e6,
            attributes: Object.fromEntries((sp.attributes ?? []).map((a) => [a.key, flatValue(a.value)])),
          })),
        ),
      };
    });
  }

  /** The trace, or undefined when Tempo does not have it (404). */
  async trace(traceId: string): Promise<TraceView | undefined> {
    const id = normalizeTraceId(traceId);
    const res = await this.get(`/api/traces/${id}`);
    if (res.status === 404) {
      await res.arrayBuffer();
      return undefined;
    }
    const text = await res.text();
    if (!res.ok)
      throw new TempoError(`Tempo could not fetch trace ${id}: HTTP ${res.status} ${text.slice(0, 200)}`);
    const view = parseTempoTrace(JSON.parse(text));
    return view.spans.length > 0 ? view : undefined;
  }
}

/** A trace id as a learner may type it: 1-32 hex digits. */
export function isTraceId(raw: string): boolean {
  return /^[0-9a-fA-F]{1,32}$/.test(raw);
}
