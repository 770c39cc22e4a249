// The sample app's spans as its SDK exports them (names, kinds, attributes and their types, resources,
// scopes; see site/src/data/traces), as builders for the graders' designed fixture traces.

export type Service = 'web' | 'api';
export type Kind = 'server' | 'client' | 'internal' | 'consumer';
export type Value = string | number | boolean;

export interface SpanDraft {
  service: Service;
  scope: string;
  name: string;
  kind: Kind;
  /** ms from the start of the trace */
  at: number;
  ms: number;
  attrs: Record<string, Value>;
  /** status error with this message */
  error?: string;
  exception?: { type: string; message: string };
  children: SpanDraft[];
}

const http = '@opentelemetry/instrumentation-http';
const express = '@opentelemetry/instrumentation-express';
const pgScope = '@opentelemetry/instrumentation-pg';
export const ports = { web: 8080, api: 8081, payments: 8082, postgres: 5433 };

/** Integers stay integers (intValue); a number with a fraction would be a doubleValue. */
export const int = (n: number) => Math.round(n);

/** The express request handler under a SERVER span; the app's own attributes go on it. */
function handler(service: Service, route: string, at: number, ms: number, attrs: Record<string, Value>) {
  return (children: SpanDraft[]): SpanDraft => ({
    service,
    scope: express,
    name: 'request handler',
    kind: 'internal',
    at,
    ms,
    attrs: { 'http.route': route, 'express.name': route, 'express.type': 'request_handler', ...attrs },
    children,
  });
}

export interface ServerOptions {
  method: 'GET' | 'POST';
  /** express route; undefined for a request no route matched (Express's 404) */
  route?: string;
  path: string;
  query?: string;
  status: number;
  at: number;
  ms: number;
  /** attributes the app sets on the handler (app.customer.id, app.search.term, ...) */
  handlerAttrs?: Record<string, Value>;
  error?: string;
}

/** A SERVER span of web or api with its request handler; `children` go below the handler. */
export function server(service: Service, o: ServerOptions, children: SpanDraft[] = []): SpanDraft {
  const attrs: Record<string, Value> = {
    'http.request.method': o.method,
    'url.scheme': 'http',
    'server.address': '127.0.0.1',
    'url.path': o.path,
    ...(o.query ? { 'url.query': o.query } : {}),
    'client.address': '127.0.0.1',
    'server.port': ports[service],
    'http.response.status_code': o.status,
    ...(o.route ? { 'http.route': o.route } : {}),
    ...(o.status >= 500 ? { 'error.type': String(o.status) } : {}),
  };
  const kids = o.route
    ? [
        {
          ...handler(service, o.route, o.at + 1, o.ms - 2, o.handlerAttrs ?? {})(children),
          ...(o.error !== undefined ? { error: o.error } : {}),
        },
      ]
    : children;
  return {
    service,
    scope: http,
    name: o.route ? `${o.method} ${o.route}` : o.method,
    kind: 'server',
    at: o.at,
    ms: o.ms,
    attrs,
    ...(o.error !== undefined ? { error: o.error } : {}),
    children: kids,
  };
}

export interface ClientOptions {
  method: 'GET' | 'POST';
  url: string;
  at: number;
  ms: number;
  /** the answer's status; 'reset' for a connection reset before any answer */
  status: number | 'reset';
  resend?: number;
}

/** An outbound HTTP call: web → api (peer.service api) or api → payments (peer.service payments). */
export function client(from: Service, o: ClientOptions, children: SpanDraft[] = []): SpanDraft {
  const port = from === 'web' ? ports.api : ports.payments;
  const attrs: Record<string, Value> = {
    'http.request.method': o.method,
    'server.address': '127.0.0.1',
    'server.port': port,
    'url.full': `http://127.0.0.1:${port}${o.url}`,
    'peer.service': from === 'web' ? 'api' : 'payments',
    ...(o.resend ? { 'http.request.resend_count': o.resend } : {}),
  };
  let error: string | undefined;
  let exception: SpanDraft['exception'];
  if (o.status === 'reset') {
    attrs['error.type'] = 'Error';
    error = 'read ECONNRESET';
    exception = { type: 'ECONNRESET', message: 'read ECONNRESET' };
  } else {
    attrs['http.response.status_code'] = o.status;
    // The HTTP instrumentation marks a CLIENT span an error from 400 on (a SERVER span from 500).
    if (o.status >= 400) {
      attrs['error.type'] = String(o.status);
      error = `HTTP ${o.status}`;
    }
  }
  return {
    service: from,
    scope: http,
    name: o.method,
    kind: 'client',
    at: o.at,
    ms: o.ms,
    attrs,
    ...(error ? { error } : {}),
    ...(exception ? { exception } : {}),
    children,
  };
}

export const statements = {
  productById: 'SELECT id, sku, name, category, price_cents, stock FROM products WHERE id = $1',
  productsByIds: 'SELECT id, sku, name, category, price_cents, stock FROM products WHERE id = ANY($1::int[])',
  reviews:
    'SELECT id, rating, body, created_at FROM product_reviews WHERE product_id = $1 ORDER BY created_at DESC LIMIT 5',
  listProducts:
    'SELECT id, sku, name, category, price_cents, stock FROM products ORDER BY id LIMIT 24 OFFSET $1',
  searchProducts:
    "SELECT id, sku, name, category, price_cents, stock FROM products WHERE name ILIKE '%' || $1 || '%' ORDER BY id LIMIT 10",
  searchReviews:
    "SELECT id, product_id, rating, body FROM product_reviews\n     WHERE to_tsvector('english', body) @@ plainto_tsquery('english', $1)\n     ORDER BY created_at DESC LIMIT 20",
  insertOrder: "INSERT INTO orders (customer_id, total_cents, status) VALUES ($1, $2, 'paid') RETURNING id",
  insertItems:
    'INSERT INTO order_items (order_id, product_id, quantity, price_cents) SELECT $1, unnest($2::int[]), unnest($3::int[]), unnest($4::int[])',
  insertItem: 'INSERT INTO order_items (order_id, product_id, quantity, price_cents) VALUES ($1, $2, $3, $4)',
  confirmOrder: "UPDATE orders SET status = 'confirmed' WHERE id = $1",
} as const;

/** A PostgreSQL query from api, with both the stable and the course's database attributes. */
export function pg(statement: string, at: number, ms: number, error?: string): SpanDraft {
  const op = statement.trim().split(/\s/)[0]!.toUpperCase();
  return {
    service: 'api',
    scope: pgScope,
    name: `pg.query:${op} shop`,
    kind: 'client',
    at,
    ms,
    attrs: {
      'db.system.name': 'postgresql',
      'db.namespace': 'shop',
      'server.address': '127.0.0.1',
      'server.port': ports.postgres,
      'db.query.text': statement,
      'db.system': 'postgresql',
      'db.statement': statement,
    },
    ...(error ? { error, exception: { type: 'DatabaseError', message: error } } : {}),
    children: [],
  };
}

/** api's order confirmation job (a CONSUMER span) and its UPDATE; `error`: the UPDATE failed so. */
export function confirmJob(orderId: string, at: number, ms = 3, error?: string): SpanDraft {
  return {
    service: 'api',
    scope: 'sample-app/api',
    name: 'order.confirm',
    kind: 'consumer',
    at,
    ms,
    attrs: { 'app.order.id': orderId, 'messaging.system': 'in-process' },
    ...(error ? { error, exception: { type: 'DatabaseError', message: error } } : {}),
    children: [pg(statements.confirmOrder, at + 0.4, ms - 1, error)],
  };
}

/** api's call to the payments vendor. */
export function charge(at: number, ms: number, status = 200): SpanDraft {
  return client('api', { method: 'POST', url: '/charge', at, ms, status });
}
