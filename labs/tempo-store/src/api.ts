// Tempo's HTTP API (port 3200) over the store: readiness, build info, /metrics, trace by id (v1, v2),
// search, tags, tag values and TraceQL metrics, with Tempo's statuses and plain-text error bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Trace } from '@dojo/traceql';
import * as engine from './engine.ts';
import { buildInfo, type StoreMetrics } from './metrics.ts';
import { parseMetrics, parseSearch, parseTagRange, parseTraceId } from './params.ts';
import type { TraceStore } from './store.ts';
import { intrinsicTags, isTagScope, spansOf, tagPicker, tagsV1, tagsV2, tagValues } from './tags.ts';
import { orgIdHeader, tenantsOf } from './tenant.ts';
import { resourceSpansJson } from './trace-json.ts';

export interface ApiContext {
  store: TraceStore;
  metrics: StoreMetrics;
  multitenancy: boolean;
}

type Reply = { status: number; type: string; body: string };

const textReply = (status: number, body: string): Reply => ({
  status,
  type: 'text/plain; charset=utf-8',
  body: body && !body.endsWith('\n') ? `${body}\n` : body,
});
const jsonReply = (status: number, value: unknown): Reply => ({
  status,
  type: 'application/json',
  body: JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
});
const engineReply = (answer: engine.EngineAnswer): Reply =>
  'body' in answer ? jsonReply(200, answer.body) : textReply(answer.status, answer.error);

/** Routes that need a tenant, by exact path or by prefix with the rest of the path as an argument. */
const tenantRoutes: { path: string; prefix?: boolean; run: (c: ApiContext, t: string[], p: Req) => Reply }[] =
  [
    { path: '/api/search', run: searchRoute },
    { path: '/api/search/tags', run: (c, t, p) => tagsRoute(c, t, p, 1) },
    { path: '/api/v2/search/tags', run: (c, t, p) => tagsRoute(c, t, p, 2) },
    { path: '/api/search/tag/', prefix: true, run: (c, t, p) => tagValuesRoute(c, t, p, 1) },
    { path: '/api/v2/search/tag/', prefix: true, run: (c, t, p) => tagValuesRoute(c, t, p, 2) },
    { path: '/api/traces/', prefix: true, run: (c, t, p) => traceRoute(c, t, p, 1) },
    { path: '/api/v2/traces/', prefix: true, run: (c, t, p) => traceRoute(c, t, p, 2) },
    { path: '/api/metrics/query_range', run: (c, t, p) => metricsRoute(c, t, p, true) },
    { path: '/api/metrics/query', run: (c, t, p) => metricsRoute(c, t, p, false) },
  ];

interface Req {
  rest: string;
  params: URLSearchParams;
  now: number;
}

export function apiHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(ctx, req)
      .catch((e: Error) => textReply(500, `internal error: ${e.message}`))
      .then((reply) => {
        res.writeHead(reply.status, {
          'content-type': reply.type,
          'content-length': Buffer.byteLength(reply.body),
        });
        res.end(req.method === 'HEAD' ? undefined : reply.body);
      });
  };
}

async function route(ctx: ApiContext, req: IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://store');
  const path = url.pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') {
    return textReply(405, `method ${req.method} not allowed: Tempo's API answers GET`);
  }
  switch (path) {
    case '/ready':
      return textReply(200, 'ready');
    case '/api/echo':
      return textReply(200, 'echo');
    case '/api/status/buildinfo':
      return jsonReply(200, buildInfo);
    case '/metrics':
      return {
        status: 200,
        type: ctx.metrics.registry.contentType,
        body: await ctx.metrics.registry.metrics(),
      };
  }
  const found = tenantRoutes.find((r) => (r.prefix ? path.startsWith(r.path) : path === r.path));
  if (!found) return textReply(404, '404 page not found');
  const tenant = tenantsOf(req.headers[orgIdHeader], ctx.multitenancy, true);
  if (!tenant.ok) return textReply(tenant.status, tenant.message);
  let rest = '';
  try {
    rest = decodeURIComponent(path.slice(found.path.length));
  } catch {
    return textReply(400, `the path ${path} is not valid percent-encoding`);
  }
  return found.run(ctx, tenant.tenants, { rest, params: url.searchParams, now: Date.now() });
}

function searchRoute(ctx: ApiContext, tenants: string[], { params, now }: Req): Reply {
  const p = parseSearch(params, now);
  if (!p.ok) return textReply(400, p.message);
  const { q, startNs, endNs, limit, spss } = p.value;
  const traces = ctx.store.traces(tenants, { startNs, endNs });
  return engineReply(engine.search(q, traces, { startNs, endNs, limit, spss }));
}

function traceRoute(ctx: ApiContext, tenants: string[], { rest, params }: Req, version: 1 | 2): Reply {
  const id = parseTraceId(rest);
  if (!id.ok) return textReply(400, id.message);
  for (const name of ['start', 'end']) {
    const raw = params.get(name);
    if (raw && !/^\d+$/.test(raw))
      return textReply(400, `invalid ${name}: "${raw}" is not a whole number of unix seconds`);
  }
  const start = Number(params.get('start') ?? 0);
  const end = Number(params.get('end') ?? 0);
  if (start && end && end < start) {
    return textReply(400, `http parameter start must be before end. received start=${start} end=${end}`);
  }
  const traces = ctx.store.get(tenants, id.value);
  const spans = traces.flatMap((t) => t.spans);
  if (version === 1) {
    return spans.length ? jsonReply(200, { batches: resourceSpansJson(spans) }) : textReply(404, '');
  }
  // Tempo's v2 answers 200 with an empty trace when there is none.
  return jsonReply(200, { trace: spans.length ? { resourceSpans: resourceSpansJson(spans) } : {} });
}

function tagsRoute(ctx: ApiContext, tenants: string[], { params }: Req, version: 1 | 2): Reply {
  const range = parseTagRange(params);
  if (!range.ok) return textReply(400, range.message);
  const traces = ctx.store.traces(tenants, range.value);
  if (version === 1) return jsonReply(200, tagsV1(traces));
  const scope = params.get('scope') || undefined;
  if (scope !== undefined && scope !== 'all' && !isTagScope(scope)) {
    return textReply(
      400,
      `invalid scope "${scope}": use one of span, resource, event, link, instrumentation, intrinsic (or none for all)`,
    );
  }
  return jsonReply(200, tagsV2(traces, scope === 'all' ? undefined : scope));
}

function tagValuesRoute(ctx: ApiContext, tenants: string[], { rest, params }: Req, version: 1 | 2): Reply {
  const match = /^(.+)\/values$/s.exec(rest);
  if (!match) return textReply(404, '404 page not found');
  const tag = match[1]!;
  const range = parseTagRange(params);
  if (!range.ok) return textReply(400, range.message);
  const traces: Trace[] = ctx.store.traces(tenants, range.value);
  if (version === 1) {
    // v1 has no scopes: a bare attribute name (span or resource) or an intrinsic; it answers plain strings.
    const picker = tagPicker(intrinsicTags.includes(tag) ? tag : `.${tag}`);
    if (!picker.ok) return textReply(400, picker.message);
    const values = tagValues(spansOf(traces), picker.pick).map((v) => v.value ?? '');
    return jsonReply(200, { tagValues: [...new Set(values)] });
  }
  const picker = tagPicker(tag);
  if (!picker.ok) return textReply(400, picker.message);
  const q = (params.get('q') ?? '').trim();
  let spans = spansOf(traces);
  if (q && !/^\{\s*\}$/.test(q)) {
    const matched = engine.matchingSpans(q, traces);
    if (!matched.ok) return textReply(matched.status, matched.error);
    spans = matched.spans;
  }
  return jsonReply(200, { values: tagValues(spans, picker.pick) });
}

function metricsRoute(ctx: ApiContext, tenants: string[], { params, now }: Req, range: boolean): Reply {
  const p = parseMetrics(params, now, range);
  if (!p.ok) return textReply(400, p.message);
  const { q, startNs, endNs, stepNs, exemplars } = p.value;
  // a range sample at t counts spans in (t − step, t], and the engine aligns start down to a step
  const traces = ctx.store.traces(tenants, { startNs: startNs - stepNs, endNs });
  if (range) return engineReply(engine.metricsQueryRange(q, traces, { startNs, endNs, stepNs, exemplars }));
  return engineReply(engine.metricsQueryInstant(q, traces, { startNs, endNs }));
}
