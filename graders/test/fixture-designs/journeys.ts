// Whole requests through the shop (web → api → PostgreSQL / payments) in the sample app's span shapes,
// with the timings and outcomes a fixture needs to set; every trace starts at web's SERVER span unless
// the design cuts it (propagation lost).
import { charge, client, confirmJob, int, pg, type SpanDraft, server, statements } from './lab-spans.ts';

export interface PageOptions {
  customer?: number;
  /** ms from the start of the fixture file's timeline */
  at?: number;
}

const customerAttrs = (customer?: number): Record<string, number> =>
  customer ? { 'app.customer.id': int(customer) } : {};

/** An api request as web's CLIENT call to it with api's SERVER span below (unless `cut`). */
function apiCall(
  method: 'GET' | 'POST',
  route: string,
  path: string,
  at: number,
  apiMs: number,
  queries: (start: number) => SpanDraft[],
  o: {
    status?: number;
    wireMs?: number;
    handlerAttrs?: Record<string, string | number>;
    error?: string;
    query?: string;
  } = {},
): SpanDraft {
  const wire = o.wireMs ?? 2;
  const status = o.status ?? 200;
  const apiServer = server(
    'api',
    {
      method,
      route,
      path,
      ...(o.query ? { query: o.query } : {}),
      status,
      at: at + wire / 2,
      ms: apiMs,
      ...(o.handlerAttrs ? { handlerAttrs: o.handlerAttrs } : {}),
      ...(o.error !== undefined ? { error: o.error } : {}),
    },
    queries(at + wire / 2 + 1.5),
  );
  return client(
    'web',
    { method, url: `${path}${o.query ? `?${o.query}` : ''}`, at, ms: apiMs + wire, status },
    [apiServer],
  );
}

export function homePage(o: PageOptions & { listMs?: number } = {}): SpanDraft {
  const at = o.at ?? 0;
  const listMs = o.listMs ?? 4;
  const call = apiCall('GET', '/api/products', '/api/products', at + 3, listMs + 4, (s) => [
    pg(statements.listProducts, s, listMs),
  ]);
  return server(
    'web',
    {
      method: 'GET',
      route: '/',
      path: '/',
      status: 200,
      at,
      ms: call.ms + 8,
      handlerAttrs: customerAttrs(o.customer),
    },
    [call],
  );
}

export interface ProductOptions extends PageOptions {
  product?: number;
  /** queries for the recommendations: one ANY($1) query, or one per product (the N+1) */
  perItemRecommendations?: number;
  productMs?: number;
  /** extra delay on the wire between web and api (network-latency), per call */
  wireMs?: [number, number];
  /** api's answer to the product call */
  productStatus?: number;
  /** the product call's first try was reset after this many ms and sent again (network-latency) */
  resetMs?: number;
}

export function productPage(o: ProductOptions = {}): SpanDraft {
  const at = o.at ?? 0;
  const id = o.product ?? 7;
  const productMs = o.productMs ?? 1;
  const [wire1, wire2] = o.wireMs ?? [2, 2];
  const reset = o.resetMs
    ? [
        client('web', {
          method: 'GET',
          url: `/api/products/${id}`,
          at: at + 3,
          ms: o.resetMs,
          status: 'reset',
        }),
      ]
    : [];
  const callAt = at + 3 + (o.resetMs ? o.resetMs + 1 : 0);
  const productCall = apiCall(
    'GET',
    '/api/products/:id',
    `/api/products/${id}`,
    callAt,
    productMs + 3.5,
    (s) =>
      o.productStatus === 404
        ? [pg(statements.productById, s, productMs)]
        : [pg(statements.productById, s, productMs), pg(statements.reviews, s + productMs + 0.2, 1)],
    { wireMs: wire1, ...(o.productStatus ? { status: o.productStatus } : {}) },
  );
  if (o.resetMs) productCall.attrs['http.request.resend_count'] = 1;
  // web's SERVER span for the page, ending `ms` after it started.
  const page = (status: number, ms: number, calls: SpanDraft[]) =>
    server(
      'web',
      {
        method: 'GET',
        route: '/products/:id',
        path: `/products/${id}`,
        status,
        at,
        ms,
        handlerAttrs: customerAttrs(o.customer),
      },
      calls,
    );
  if (o.productStatus === 404) return page(404, callAt - at + productCall.ms + 6, [...reset, productCall]);
  const n = o.perItemRecommendations ?? 0;
  const recStart = callAt + productCall.ms + 1;
  const recMs = n > 0 ? n * 0.6 + 3 : 3;
  const recCall = apiCall(
    'GET',
    '/api/products/:id/recommendations',
    `/api/products/${id}/recommendations`,
    recStart,
    recMs,
    (s) =>
      n > 0
        ? [
            pg(statements.productById, s, 0.5),
            ...Array.from({ length: n }, (_, i) => pg(statements.productById, s + 0.6 + i * 0.55, 0.4)),
          ]
        : [pg(statements.productById, s, 0.5), pg(statements.productsByIds, s + 0.7, 0.8)],
    { wireMs: wire2 },
  );
  return page(200, recStart - at + recCall.ms + 5, [...reset, productCall, recCall]);
}

export interface SearchOptions extends PageOptions {
  term?: string;
  /** the review search: ~1 s without its index (slow-query), a few ms with it */
  reviewsMs?: number;
}

export function searchPage(o: SearchOptions = {}): SpanDraft {
  const at = o.at ?? 0;
  const term = o.term ?? 'zipper';
  const reviewsMs = o.reviewsMs ?? 6;
  const call = apiCall(
    'GET',
    '/api/search',
    '/api/search',
    at + 3,
    Math.max(reviewsMs, 8) + 4,
    (s) => [pg(statements.searchProducts, s, 8), pg(statements.searchReviews, s + 0.3, reviewsMs)],
    { query: `q=${term}`, handlerAttrs: { 'app.search.term': term } },
  );
  return server(
    'web',
    {
      method: 'GET',
      route: '/search',
      path: '/search',
      query: `q=${term}`,
      status: 200,
      at,
      ms: call.ms + 8,
      handlerAttrs: customerAttrs(o.customer),
    },
    [call],
  );
}

export interface CheckoutOptions extends PageOptions {
  orderId?: string;
  product?: number;
  paymentsMs?: number;
  /** the vendor's answer; 503 with the error-cascade fault makes api fail (500) and web answer 502 */
  paymentsStatus?: number;
  /** how long storing the order takes (a lock wait makes it slow) */
  insertMs?: number;
  /** api refuses the cart (400) before any query */
  refused?: boolean;
  /** the confirmation job keeps the checkout's context (false: it starts its own trace) */
  job?: boolean;
  /** the confirmation job's UPDATE failed with this message */
  jobError?: string;
  /** store the items with one INSERT each (an N+1 on write) instead of one INSERT … SELECT unnest */
  perItemInserts?: number;
}

/** api's side of a checkout: the SERVER span of POST /api/checkout and everything below it. */
export function apiCheckout(o: CheckoutOptions & { at: number }): SpanDraft {
  const at = o.at;
  const customer = o.customer ?? 1207;
  if (o.refused) {
    return server('api', {
      method: 'POST',
      route: '/api/checkout',
      path: '/api/checkout',
      status: 400,
      at,
      ms: 2.5,
    });
  }
  const paymentsMs = o.paymentsMs ?? 45;
  const paymentsStatus = o.paymentsStatus ?? 200;
  const failed = paymentsStatus >= 400;
  const insertMs = o.insertMs ?? 3.5;
  const s = at + 2;
  const kids: SpanDraft[] = [pg(statements.productsByIds, s, 1.3), charge(s + 2, paymentsMs, paymentsStatus)];
  let end = s + 2 + paymentsMs + 1;
  if (!failed) {
    kids.push(pg(statements.insertOrder, end, insertMs));
    end += insertMs + 0.3;
    const rows = o.perItemInserts ?? 0;
    if (rows > 0) {
      for (let i = 0; i < rows; i++) kids.push(pg(statements.insertItem, end + i * 0.9, 0.7));
      end += rows * 0.9 + 0.5;
    } else {
      kids.push(pg(statements.insertItems, end, 1.7));
      end += 2.2;
    }
    if (o.job !== false) kids.push(confirmJob(o.orderId ?? '1', end + 0.5, 3, o.jobError));
  }
  return server(
    'api',
    {
      method: 'POST',
      route: '/api/checkout',
      path: '/api/checkout',
      status: failed ? 500 : 201,
      at,
      ms: end - at + 2,
      handlerAttrs: {
        'app.customer.id': int(customer),
        'app.cart.items': o.perItemInserts ?? 1,
        'app.order.total_cents': 2256,
        ...(failed ? {} : { 'app.order.id': o.orderId ?? '1' }),
      },
      ...(failed ? { error: '' } : {}),
    },
    kids,
  );
}

export function checkout(o: CheckoutOptions = {}): SpanDraft {
  const at = o.at ?? 0;
  const customer = o.customer ?? 1207;
  const api = apiCheckout({ ...o, at: at + 4 });
  const status = api.attrs['http.response.status_code'] as number;
  const call = client('web', { method: 'POST', url: '/api/checkout', at: at + 3, ms: api.ms + 2, status }, [
    api,
  ]);
  const webStatus = status === 201 ? 201 : status === 400 ? 502 : 502;
  return server(
    'web',
    {
      method: 'POST',
      route: '/checkout',
      path: '/checkout',
      status: webStatus,
      at,
      ms: call.ms + 12,
      handlerAttrs: { 'app.customer.id': int(customer) },
      ...(webStatus >= 500 ? { error: `The shop's api failed (${status}): ` } : {}),
    },
    [call],
  );
}
