// Tempo's HTTP API as the CLI and graders use it: readiness, TraceQL search and trace by id, with the
// API's quirks handled (ids without leading zeros, 404 on a missing trace, 400 on bad TraceQL), and
// every failure (unreachable, starting, a server that is not Tempo) as one UserError line.
import { tempoUrl, UserError } from '@dojo/course';
import { normalizeTraceId, parseTempoTrace, type TraceView } from './trace-model.ts';

/** Tempo answered 400 to a query: the learner's query is wrong, the server is fine. */
export class QueryRejected extends UserError {}

export interface SearchOptions {
  /** unix seconds; Tempo wants both or neither */
  start?: number;
  end?: number;
  limit?: number;
  /** spans per span set (Tempo's default is 3) */
  spss?: number;
  /**
   * the newest traces, newest first: Tempo returns the first `limit` traces it happens to find unless the
   * query carries the `with (most_recent=true)` hint, which this adds when the query has no hint of its own
   */
  mostRecent?: boolean;
}

/** The query with Tempo's most-recent hint, unless it already ends in a `with (...)` hint of its own. */
export function withMostRecent(q: string): string {
  const outsideStrings = q.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '""');
  return /\bwith\s*\(/.test(outsideStrings) ? q : `${q.trim()} with (most_recent=true)`;
}

export interface MatchedSpan {
  spanId: string;
  name: string;
  startMs: number;
  durationMs: number;
  attributes: Record<string, unknown>;
}

/** One series of a TraceQL metrics answer: its labels (e.g. the by() attribute) and its samples' values. */
export interface MetricsSeries {
  labels: Record<string, unknown>;
  values: number[];
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
type RawKeyValue = { key: string; value?: Record<string, unknown> };
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
  /**
   * X-Scope-OrgID for a multi-tenant Tempo (the graders' replayed traffic lives in tenants; in class mode
   * each learner is one, named by DOJO_TEMPO_TENANT in their environment)
   */
  readonly tenant: string | undefined;

  constructor(
    baseUrl: string = tempoUrl(),
    timeoutMs = 10_000,
    tenant: string | undefined = process.env.DOJO_TEMPO_TENANT || undefined,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
    this.tenant = tenant;
  }

  private async get(path: string, timeoutMs = this.timeoutMs): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        signal: AbortSignal.timeout(timeoutMs),
        ...(this.tenant ? { headers: { 'x-scope-orgid': this.tenant } } : {}),
      });
    } catch (e) {
      throw new UserError(this.unreachable(e));
    }
  }

  private unreachable(e: unknown): string {
    const reason = (e as Error).name === 'TimeoutError' ? 'did not answer in time' : 'is unreachable';
    return `Tempo at ${this.baseUrl} ${reason} (TEMPO_URL); is the lab running? start it with \`make lab-up\``;
  }

  private notTempo(got: string): string {
    return `${this.baseUrl} is not a Tempo API (got ${got}); point TEMPO_URL at Tempo's HTTP port, or unset it for the lab's`;
  }

  /** One line for an answer that is not a success: a wrong server's page is named, never printed. */
  private failure(res: Response, text: string, path: string): string {
    const where = `${this.baseUrl}${path.split('?')[0]}`;
    const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    if (isHtml(res) || res.status === 404)
      return `${where} answered ${status}: TEMPO_URL must be Tempo's HTTP API (the lab's is http://localhost:3200)`;
    const said = text.trim().split('\n')[0]!.slice(0, 160);
    return `Tempo at ${this.baseUrl} failed (${status}${said ? `: ${said}` : ''}); check its log (\`dojo lab status\`) and try again`;
  }

  /** The answer's JSON, or one line saying the server at TEMPO_URL is not Tempo. */
  private async json(res: Response, path: string): Promise<unknown> {
    const text = await res.text();
    if (!res.ok) throw new UserError(this.failure(res, text, path));
    if (isHtml(res)) throw new UserError(this.notTempo('text/html'));
    try {
      return JSON.parse(text);
    } catch {
      throw new UserError(this.notTempo(`${mediaType(res) || 'an answer'} that is not JSON`));
    }
  }

  /** Why TEMPO_URL cannot be used right now (unreachable, starting, not Tempo), or undefined if it can. */
  async problem(): Promise<string | undefined> {
    let res: Response;
    try {
      res = await this.get('/ready', 2000);
    } catch (e) {
      return (e as Error).message;
    }
    const text = await res.text().catch(() => '');
    if (isHtml(res)) return this.notTempo('text/html');
    if (res.status === 503)
      return `Tempo at ${this.baseUrl} is still starting (${text.trim().split('\n')[0]}); try again in a few seconds`;
    return res.ok ? undefined : this.failure(res, text, '/ready');
  }

  async ready(): Promise<boolean> {
    return (await this.problem()) === undefined;
  }

  async search(q: string, options: SearchOptions = {}): Promise<TraceMatch[]> {
    const params = new URLSearchParams({
      q: options.mostRecent ? withMostRecent(q) : q,
      limit: String(options.limit ?? 20),
      spss: String(options.spss ?? 3),
    });
    if (options.start !== undefined && options.end !== undefined) {
      params.set('start', String(Math.floor(options.start)));
      params.set('end', String(Math.ceil(options.end)));
    }
    const path = `/api/search?${params}`;
    const res = await this.get(path);
    if (res.status === 400 && !isHtml(res)) {
      const text = await res.text();
      throw new QueryRejected(`Tempo rejected the query: ${text.trim().split('\n')[0]}`);
    }
    const body = (await this.json(res, path)) as RawSearch;
    if (
      typeof body !== 'object' ||
      body === null ||
      (body.traces !== undefined && !Array.isArray(body.traces))
    )
      throw new UserError(this.notTempo('JSON without a list of traces'));
    const matches = (body.traces ?? []).map((t) => {
      const sets = t.spanSets ?? (t.spanSet ? [t.spanSet] : []);
      return {
        traceId: normalizeTraceId(String(t.traceID)),
        rootServiceName: t.rootServiceName ?? '',
        rootTraceName: t.rootTraceName ?? '',
        startMs: nanosToMs(t.startTimeUnixNano),
        durationMs: t.durationMs ?? 0,
        matched: sets.reduce((n, s) => n + (s.matched ?? 0), 0),
        spans: sets.flatMap((s) =>
          (s.spans ?? []).map((sp) => ({
            spanId: sp.spanID,
            name: sp.name ?? '',
            startMs: nanosToMs(sp.startTimeUnixNano),
            durationMs: nanosToMs(sp.durationNanos, true),
            attributes: Object.fromEntries((sp.attributes ?? []).map((a) => [a.key, flatValue(a.value)])),
          })),
        ),
      };
    });
    // Tempo does not order its answer: with the hint, the newest come first, as `dojo query` shows them.
    return options.mostRecent ? matches.sort((a, b) => b.startMs - a.startMs) : matches;
  }

  /** A TraceQL metrics query over [start, end] (unix seconds) in steps of `stepSeconds`. */
  async metricsRange(
    q: string,
    options: { start: number; end: number; stepSeconds: number },
  ): Promise<MetricsSeries[]> {
    const params = new URLSearchParams({
      q,
      start: String(Math.floor(options.start)),
      end: String(Math.ceil(options.end)),
      step: `${Math.max(1, Math.round(options.stepSeconds))}s`,
    });
    const path = `/api/metrics/query_range?${params}`;
    const res = await this.get(path);
    if (res.status === 400 && !isHtml(res)) {
      const text = await res.text();
      throw new QueryRejected(`Tempo rejected the query: ${text.trim().split('\n')[0]}`);
    }
    type Raw = { series?: { labels?: RawKeyValue[]; samples?: { value?: number | string }[] }[] };
    const body = (await this.json(res, path)) as Raw;
    if (
      typeof body !== 'object' ||
      body === null ||
      (body.series !== undefined && !Array.isArray(body.series))
    )
      throw new UserError(this.notTempo('JSON without a list of series'));
    return (body.series ?? []).map((s) => ({
      labels: Object.fromEntries((s.labels ?? []).map((l) => [l.key, flatValue(l.value)])),
      // Tempo leaves a zero sample's value out.
      values: (s.samples ?? []).map((x) => Number(x.value ?? 0)),
    }));
  }

  /** The trace, or undefined when Tempo does not have it (404). */
  async trace(traceId: string): Promise<TraceView | undefined> {
    const id = normalizeTraceId(traceId);
    const path = `/api/traces/${id}`;
    const res = await this.get(path);
    if (res.status === 404 && !isHtml(res)) {
      await res.arrayBuffer();
      return undefined;
    }
    const body = await this.json(res, path);
    let view: TraceView;
    try {
      view = parseTempoTrace(body);
    } catch {
      throw new UserError(this.notTempo('JSON that is not a trace'));
    }
    return view.spans.length > 0 ? view : undefined;
  }
}

const mediaType = (res: Response) => (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
const isHtml = (res: Response) => /html/i.test(mediaType(res));

/** Tempo sends nanoseconds as decimal strings; anything else counts as 0 rather than throwing. */
function nanosToMs(raw: string | undefined, fractional = false): number {
  try {
    const ns = BigInt(raw ?? '0');
    return fractional ? Number(ns) / 1e6 : Number(ns / 1_000_000n);
  } catch {
    return 0;
  }
}

/** A trace id as a learner may type it: 1-32 hex digits. */
export function isTraceId(raw: string): boolean {
  return /^[0-9a-fA-F]{1,32}$/.test(raw);
}
