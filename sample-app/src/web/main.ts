// web (tier 1): the shop's server-rendered pages; every page calls api over HTTP.
import { SpanStatusCode, trace } from '@opentelemetry/api';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Product } from '../api/queries.ts';
import { httpJson } from '../http-client.ts';
import { createLogger } from '../log.ts';
import { requestLog, serve, traceResponse } from '../server.ts';
import { settingsOrExit } from '../settings.ts';
import * as pages from './pages.ts';

const settings = settingsOrExit('web');
const log = createLogger('web');
const app = express();
app.use(traceResponse());
app.use(requestLog(log));
app.use(express.urlencoded({ extended: false }));

class UpstreamError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  // A GET whose connection is reset is sent again (twice at most): each try is a CLIENT span of its own.
  const res = await httpJson<T & { error?: string }>(
    method,
    `${settings.apiUrl}${path}`,
    body ? { body } : { retries: 2 },
  );
  if (res.status === 404) throw new UpstreamError('That product does not exist.', 404);
  if (res.status === 402) throw new UpstreamError('Your payment was declined; please try again.', 402);
  if (res.status === 422) throw new UpstreamError(res.body.error ?? 'We cannot ship this order.', 422);
  if (res.status >= 400)
    throw new UpstreamError(`The shop's api failed (${res.status}): ${res.body.error ?? ''}`, 502);
  return res.body;
}

/** Tags the request's span with the shopper, so one customer's journey can be found by attribute. */
function tagCustomer(req: Request): void {
  const id = Number(req.get('x-customer-id') ?? (req.body as Record<string, string> | undefined)?.customerId);
  if (Number.isInteger(id) && id > 0) trace.getActiveSpan()?.setAttribute('app.customer.id', id);
}

const render = (res: Response, title: string, body: string, status = 200) =>
  res
    .status(status)
    .type('html')
    .send(pages.layout(title, body, settings.scenario));

app.get('/healthz', (_req, res) => {
  res.json({ ok: true, scenario: settings.scenario });
});

app.get('/', async (req, res) => {
  tagCustomer(req);
  const category =
    typeof req.query.category === 'string' ? `?category=${encodeURIComponent(req.query.category)}` : '';
  render(res, 'Products', pages.productGrid(await api<Product[]>('GET', `/api/products${category}`)));
});

app.get('/products/:id', async (req, res) => {
  tagCustomer(req);
  const id = encodeURIComponent(req.params.id);
  const product = await api<Product & { reviews: { rating: number; body: string }[] }>(
    'GET',
    `/api/products/${id}`,
  );
  const recommended = await api<Product[]>('GET', `/api/products/${id}/recommendations`);
  render(res, product.name, pages.productPage(product, recommended));
});

app.get('/search', async (req, res) => {
  tagCustomer(req);
  const term = String(req.query.q ?? '').trim();
  if (!term) return render(res, 'Search', pages.errorPage('Type something to search for.'), 400);
  const found = await api<{ products: Product[]; reviews: { product_id: number; body: string }[] }>(
    'GET',
    `/api/search?q=${encodeURIComponent(term)}`,
  );
  render(res, `Search: ${term}`, pages.searchPage(term, found.products, found.reviews));
});

app.post('/checkout', async (req, res) => {
  tagCustomer(req);
  const form = req.body as Record<string, string>;
  const order = await api<{ orderId: string; totalCents: number }>('POST', '/api/checkout', {
    customerId: Number(form.customerId ?? 42),
    items: [{ productId: Number(form.productId), quantity: Number(form.quantity ?? 1) }],
  });
  log.info('checkout done', { order_id: order.orderId });
  render(res, 'Order placed', pages.orderPage(order), 201);
});

app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  const status = err instanceof UpstreamError ? err.status : 500;
  if (status >= 500) {
    const span = trace.getActiveSpan();
    span?.recordException(err);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
    log.error('page failed', { error: err.message });
  }
  render(res, 'Something went wrong', pages.errorPage(err.message), status);
});

serve(app, settings.port, 'web', log);
