// Every TraceQL example the site shows with a "try it" (<TryIt id=…>): the query and the recording it
// runs on. The cheat sheet's are checked against the recordings in site/test/traceql-examples.test.ts.

export interface TraceqlExample {
  query: string;
  /** the recording (a scenario id, src/data/datasets/<id>.json) the example is about */
  dataset: string;
}

const examples = {
  // cheat sheet: selecting spans
  service: { query: '{ resource.service.name = "api" }', dataset: 'healthy' },
  'span-attribute': { query: '{ span.http.route = "/checkout" }', dataset: 'healthy' },
  'either-scope': { query: '{ .http.route = "/checkout" }', dataset: 'healthy' },
  'by-name': { query: '{ name = "order.confirm" }', dataset: 'healthy' },
  'by-duration': { query: '{ duration > 500ms }', dataset: 'slow-query' },
  'by-status': { query: '{ status = error }', dataset: 'error-cascade' },
  'by-kind': { query: '{ kind = client }', dataset: 'healthy' },
  numbers: { query: '{ span.app.customer.id = 42 }', dataset: 'healthy' },
  regex: { query: '{ span.http.route =~ "/api/products.*" }', dataset: 'healthy' },
  exists: { query: '{ span.app.order.id != nil }', dataset: 'healthy' },
  'root-service': { query: '{ trace:rootService = "api" }', dataset: 'missing-propagation' },
  // cheat sheet: combining and structure
  'and-same-span': { query: '{ kind = client && status = error }', dataset: 'error-cascade' },
  'and-spansets': {
    query: '{ status = error } && { span.peer.service = "payments" }',
    dataset: 'error-cascade',
  },
  descendant: {
    query: '{ span.http.route = "/checkout" } >> { span.db.system = "postgresql" }',
    dataset: 'healthy',
  },
  child: { query: '{ kind = client } > { kind = server }', dataset: 'healthy' },
  'child-broken': { query: '{ kind = client } > { kind = server }', dataset: 'missing-propagation' },
  sibling: {
    query: '{ span.db.system = "postgresql" } ~ { span.peer.service = "payments" }',
    dataset: 'healthy',
  },
  // cheat sheet: pipelines
  count: { query: '{ span.db.system = "postgresql" } | count() > 20', dataset: 'n-plus-one' },
  avg: { query: '{ span.http.route = "/api/search" } | avg(duration) > 200ms', dataset: 'slow-query' },
  max: { query: '{ kind = client } | max(duration) > 2s', dataset: 'external-latency' },
  select: {
    query: '{ status = error } | select(span.http.route, resource.service.name)',
    dataset: 'error-cascade',
  },
  // cheat sheet: metrics
  rate: { query: '{ kind = server } | rate() by (resource.service.name)', dataset: 'healthy' },
  'errors-over-time': {
    query: '{ status = error } | count_over_time() by (resource.service.name)',
    dataset: 'error-cascade',
  },
  quantile: {
    query: '{ span.db.system = "postgresql" } | quantile_over_time(duration, .9)',
    dataset: 'slow-query',
  },
  'max-over-time': {
    query: '{ span.peer.service = "payments" } | max_over_time(duration)',
    dataset: 'external-latency',
  },
  // cheat sheet: surprises, each with what to write instead
  'string-number': { query: '{ span.http.response.status_code = "200" }', dataset: 'healthy' },
  'string-number-fixed': { query: '{ span.http.response.status_code = 200 }', dataset: 'healthy' },
  'regex-anchored': { query: '{ name =~ "products" }', dataset: 'healthy' },
  'regex-anchored-fixed': { query: '{ name =~ ".*products.*" }', dataset: 'healthy' },
  negation: { query: '{ !(resource.service.name = "api") }', dataset: 'healthy' },
  'negation-fixed': { query: '{ resource.service.name != "api" }', dataset: 'healthy' },
  // theory: Tempo and TraceQL
  'no-child': { query: '{ } !< { kind = client }', dataset: 'missing-propagation' },
  'slow-db-under-web': {
    query:
      '{ resource.service.name = "web" && kind = server } >> { span.db.system = "postgresql" && duration > 500ms }',
    dataset: 'slow-query',
  },
  // Lab 2 and Lab 3
  'postgres-spans': { query: '{ span.db.system = "postgresql" }', dataset: 'slow-query' },
  'slow-web-requests': {
    query: '{ resource.service.name = "web" && kind = server && duration > 500ms }',
    dataset: 'external-latency',
  },
  'network-gap': {
    query:
      '{ kind = server && duration > 300ms } !< { resource.service.name = "web" && kind = client && duration > 300ms }',
    dataset: 'network-latency',
  },
  'network-resend': {
    query:
      '{ resource.service.name = "web" && kind = client && status = error } && { span.http.request.resend_count > 0 }',
    dataset: 'network-latency',
  },
} satisfies Record<string, TraceqlExample>;

export type ExampleId = keyof typeof examples;
export const traceqlExamples: Readonly<Record<ExampleId, TraceqlExample>> = examples;

export function example(id: string): TraceqlExample {
  const found = (examples as Record<string, TraceqlExample>)[id];
  if (!found) throw new Error(`no TraceQL example "${id}" in src/data/traceql-examples.ts`);
  return found;
}
