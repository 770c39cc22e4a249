// Synthetic shop traffic for the engine's benchmark: traces shaped like the lab's (web → api →
// PostgreSQL and payments), built straight into the engine's model.
import { addSpan, newTrace, type Resource, type Scope, type Span, type Trace } from '@dojo/traceql';

const instrumentation: Scope = {
  name: '@opentelemetry/instrumentation-http',
  version: '0.57.1',
  attrs: new Map(),
};
const res = (name: string): Resource => ({
  attrs: new Map<string, string>([
    ['service.name', name],
    ['service.version', '1.0.0'],
    ['deployment.environment', 'lab'],
  ]),
});
const WEB = res('web');
const API = res('api');
const ROUTES = ['/products', '/products/:id', '/checkout', '/search', '/cart'];

function hex(n: number, digits: number): string {
  return n.toString(16).padStart(digits, '0');
}

/** `spans` spans in traces of about ten, spread evenly over `windowS` seconds ending at `endNs`. */
export function syntheticTraces(spans: number, endNs: bigint, windowS = 3600): Trace[] {
  const traces: Trace[] = [];
  const perTrace = 10;
  const count = Math.ceil(spans / perTrace);
  const startNs = endNs - BigInt(windowS) * 1_000_000_000n;
  let made = 0;
  for (let t = 0; t < count && made < spans; t++) {
    const traceId = hex(t + 1, 32);
    const trace = newTrace(traceId);
    const t0 = startNs + BigInt(Math.floor((t / count) * windowS * 1e9));
    const route = ROUTES[t % ROUTES.length]!;
    const failing = t % 97 === 0;
    const slow = t % 50 === 0;
    let id = 0;
    const span = (
      parent: string,
      name: string,
      kind: 2 | 3,
      resource: Resource,
      offMs: number,
      durMs: number,
      attrs: [string, string | bigint][],
    ): string => {
      const spanId = hex(t * 16 + ++id, 16);
      const s: Span = {
        traceId,
        spanId,
        parentSpanId: parent,
        name,
        kind,
        startNs: t0 + BigInt(offMs * 1e6),
        durationNs: durMs * 1e6,
        statusCode: failing && kind === 2 ? 2 : 0,
        statusMessage: '',
        attrs: new Map(attrs),
        events: [],
        links: [],
        resource,
        scope: instrumentation,
        nestedSetLeft: 0,
        nestedSetRight: 0,
        nestedSetParent: 0,
        childCount: 0,
      };
      addSpan(trace, s);
      made++;
      return spanId;
    };
    const root = span('', `GET ${route}`, 2, WEB, 0, slow ? 1200 : 40, [
      ['http.route', route],
      ['http.response.status_code', failing ? 503n : 200n],
    ]);
    const call = span(root, 'GET', 3, WEB, 1, slow ? 1180 : 35, [['http.request.method', 'GET']]);
    const server = span(call, `GET /api${route}`, 2, API, 2, slow ? 1170 : 30, [
      ['http.route', `/api${route}`],
      ['http.response.status_code', failing ? 503n : 200n],
    ]);
    for (let q = 0; q < perTrace - 3; q++) {
      span(server, 'SELECT shop.products', 3, API, 3 + q * 3, slow && q === 0 ? 1100 : 2, [
        ['db.system', 'postgresql'],
        ['db.statement', 'SELECT * FROM products WHERE id = $1'],
      ]);
    }
    traces.push(trace);
  }
  return traces;
}
