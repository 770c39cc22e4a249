// TraceQL metrics over Tempo's HTTP API (/api/metrics/query_range and /api/metrics/query), asked the way
// Grafana's Tempo data source asks (start and end in unix seconds, step and exemplars only when set),
// with an optional tenant. Answers become labelled series; a 400 is the learner's query, said in one line.
import { tempoUrl, UserError } from '@dojo/course';
import { QueryRejected } from './tempo-client.ts';

export interface MetricsPoint {
  tMs: number;
  value: number;
}

export interface MetricsExemplarPoint {
  tMs: number;
  value: number;
  traceId: string;
  spanId?: string;
}

export interface MetricsSeriesView {
  /** label → value as text; string values unquoted */
  labels: Record<string, string>;
  points: MetricsPoint[];
  exemplars: MetricsExemplarPoint[];
}

export interface MetricsRequest {
  query: string;
  /** unix seconds */
  start: number;
  end: number;
  /** a Go duration such as 30s or 1m, as a Grafana query's `step` field holds it */
  step?: string;
  exemplars?: number;
  instant?: boolean;
}

type WireValue = { stringValue?: string; intValue?: string; doubleValue?: number; boolValue?: boolean };
type WireSeries = {
  labels?: { key: string; value?: WireValue }[];
  samples?: { timestampMs: string; value?: number }[];
  value?: number;
  exemplars?: { labels?: { key: string; value?: WireValue }[]; value?: number; timestampMs: string }[];
};

const text = (v: WireValue | undefined): string =>
  v === undefined
    ? ''
    : v.stringValue !== undefined
      ? v.stringValue
      : v.intValue !== undefined
        ? v.intValue
        : v.doubleValue !== undefined
          ? String(v.doubleValue)
          : v.boolValue !== undefined
            ? String(v.boolValue)
            : '';

export function seriesFromWire(body: { series?: WireSeries[] }, instantAtMs: number): MetricsSeriesView[] {
  return (body.series ?? []).map((s) => ({
    labels: Object.fromEntries((s.labels ?? []).map((l) => [l.key, text(l.value)])),
    // Tempo leaves out a value of 0; Grafana reads it back as 0.
    points: s.samples
      ? s.samples.map((p) => ({ tMs: Number(p.timestampMs), value: p.value ?? 0 }))
      : [{ tMs: instantAtMs, value: s.value ?? 0 }],
    exemplars: (s.exemplars ?? []).flatMap((e) => {
      const labels = Object.fromEntries((e.labels ?? []).map((l) => [l.key, text(l.value)]));
      const traceId = labels['trace:id'];
      return traceId
        ? [
            {
              tMs: Number(e.timestampMs),
              value: e.value ?? 0,
              traceId,
              ...(labels['span:id'] ? { spanId: labels['span:id'] } : {}),
            },
          ]
        : [];
    }),
  }));
}

export class TempoMetricsClient {
  readonly baseUrl: string;
  private readonly tenant: string | undefined;

  constructor(baseUrl: string = tempoUrl(), tenant?: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.tenant = tenant;
  }

  async query(req: MetricsRequest): Promise<MetricsSeriesView[]> {
    const params = new URLSearchParams({
      q: req.query,
      start: String(Math.floor(req.start)),
      end: String(Math.floor(req.end)),
    });
    if (req.step && !req.instant) params.set('step', req.step);
    if (req.exemplars !== undefined && !req.instant) params.set('exemplars', String(req.exemplars));
    const path = `/api/metrics/${req.instant ? 'query' : 'query_range'}?${params}`;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        headers: this.tenant ? { 'x-scope-orgid': this.tenant } : {},
        signal: AbortSignal.timeout(15_000),
      });
    } catch {
      throw new UserError(
        `Tempo at ${this.baseUrl} is unreachable (TEMPO_URL); is the lab running? start it with \`make lab-up\``,
      );
    }
    const body = await res.text();
    if (res.status === 400)
      throw new QueryRejected(`Tempo rejected the query: ${body.trim().split('\n')[0]}`);
    if (!res.ok)
      throw new UserError(
        `Tempo at ${this.baseUrl} failed a metrics query (HTTP ${res.status}: ${body.trim().split('\n')[0]?.slice(0, 160)})`,
      );
    try {
      return seriesFromWire(JSON.parse(body) as { series?: WireSeries[] }, req.end * 1000);
    } catch {
      throw new UserError(`${this.baseUrl} answered a metrics query with something that is not Tempo's JSON`);
    }
  }
}

/** What Grafana's Tempo data source treats as a metrics query (its backend runs only these). */
export function grafanaRunsAsMetrics(q: string): boolean {
  return /\|\s*(rate|count_over_time|avg_over_time|sum_over_time|max_over_time|min_over_time|quantile_over_time|histogram_over_time|compare)\s*\(/.test(
    q,
  );
}
