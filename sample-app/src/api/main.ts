// api (tier 2): the shop's REST API over PostgreSQL; calls the payments vendor on checkout.
import { randomUUID } from 'node:crypto';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import express, { type NextFunction, type Request, type Response } from 'express';
import pg from 'pg';
import { setReviewSearchIndex } from '../db/prepare.ts';
import { createLogger } from '../log.ts';
import { requestLog, serve } from '../server.ts';
import { settingsOrExit } from '../settings.ts';
import { createOrderJobs } from './order-jobs.ts';
import { charge } from './payments-client.ts';
import * as q from './queries.ts';
import { dispatchOrder, quoteShipping } from './shipping-client.ts';

const settings = settingsOrExit('api');
const { faults } = settings;
const log = createLogger('api');
// One backend per query, as on a small database server: without it PostgreSQL splits the unindexed
// review search (slow-query) across parallel workers on a warm cache, and on a 2-core laptop it can
// drop under the 500 ms the course teaches learners to look for.
const db = new pg.Pool({
  connectionString: settings.databaseUrl,
  max: 8,
  options: '-c max_parallel_workers_per_gather=0',
});
await setReviewSearchIndex(db, faults.reviewsIndex);
const jobs = createOrderJobs(db, log, faults.jobContextPropagated);

const app = express();
app.use(requestLog(log));
app.use(express.json());

class BadRequest extends Error {}

function intParam(raw: unknown, name: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new BadRequest(`${name} must be a positive whole number`);
  return n;
}

app.get('/healthz', (_req, res) => {
  res.json({ ok: true, scenario: settings.scenario });
});

app.get('/api/products', async (req, res) => {
  const category = typeof req.query.category === 'string' ? req.query.category : undefined;
  const page = req.query.page ? intParam(req.query.page, 'page') : 1;
  res.json(await q.listProducts(db, category, page));
});

app.get('/api/products/:id', async (req, res) => {
  const product = await q.getProduct(db, intParam(req.params.id, 'id'));
  if (!product) return void res.status(404).json({ error: 'no such product' });
  res.json({ ...product, reviews: await q.latestReviews(db, product.id) });
});

app.get('/api/products/:id/recommendations', async (req, res) => {
  const product = await q.getProduct(db, intParam(req.params.id, 'id'));
  if (!product) return void res.status(404).json({ error: 'no such product' });
  res.json(await q.productsById(db, q.recommendationIds(product), faults.recommendationsPerItem));
});

app.get('/api/search', async (req, res) => {
  const term = String(req.query.q ?? '').trim();
  if (!term) throw new BadRequest('q is required');
  trace.getActiveSpan()?.setAttribute('app.search.term', term);
  const [products, reviews] = await Promise.all([q.searchProducts(db, term), q.searchReviews(db, term)]);
  res.json({ products, reviews });
});

app.post('/api/checkout', async (req, res) => {
  const body = req.body as { customerId?: unknown; items?: { productId?: unknown; quantity?: unknown }[] };
  const customerId = intParam(body.customerId, 'customerId');
  if (!Array.isArray(body.items) || body.items.length === 0)
    throw new BadRequest('items must be a non-empty list');
  const items = body.items.map((i) => ({
    productId: intParam(i.productId, 'productId'),
    quantity: intParam(i.quantity, 'quantity'),
  }));
  const span = trace.getActiveSpan();
  span?.setAttributes({ 'app.customer.id': customerId, 'app.cart.items': items.length });
  const products = await q.productsById(
    db,
    items.map((i) => i.productId),
    false,
  );
  const price = new Map(products.map((p) => [p.id, p.price_cents]));
  let total = items.reduce((sum, i) => sum + (price.get(i.productId) ?? 0) * i.quantity, 0);
  // The practical: with a shipping service, the parcel is quoted (and may be refused) before payment.
  if (settings.shippingUrl) {
    const quote = await quoteShipping(settings.shippingUrl, items);
    if (!quote.ok) {
      log.warn('shipping refused', { status: quote.status, reason: quote.reason });
      return void res.status(422).json({ error: `we cannot ship this order: ${quote.reason}` });
    }
    total += quote.costCents;
  }
  span?.setAttribute('app.order.total_cents', total);
  const paymentRef = randomUUID();
  const payment = await charge(settings.paymentsUrl, paymentRef, total);
  if (!payment.ok) {
    if (faults.apiHandlesPaymentErrors) {
      log.warn('payment declined', { status: payment.status });
      return void res.status(402).json({ status: 'declined', reason: payment.reason });
    }
    // The error-cascade fault: the vendor failure is thrown, unhandled, up to the caller.
    throw new Error(`payments vendor failed: ${payment.reason}`);
  }
  const { rows } = await db.query<{ id: string }>(
    "INSERT INTO orders (customer_id, total_cents, status) VALUES ($1, $2, 'paid') RETURNING id",
    [customerId, total],
  );
  const orderId = rows[0]!.id;
  await db.query(
    'INSERT INTO order_items (order_id, product_id, quantity, price_cents) SELECT $1, unnest($2::int[]), unnest($3::int[]), unnest($4::int[])',
    [
      orderId,
      items.map((i) => i.productId),
      items.map((i) => i.quantity),
      items.map((i) => price.get(i.productId) ?? 0),
    ],
  );
  span?.setAttribute('app.order.id', orderId);
  let trackingNumber: string | undefined;
  if (settings.shippingUrl) {
    const recipient = await q.customerContact(db, customerId);
    const shipped = recipient
      ? await dispatchOrder(settings.shippingUrl, { orderId, items, recipient })
      : { error: 'no such customer' };
    // The order is paid and stored: a failed dispatch is retried by the warehouse, not by the shopper.
    if (shipped.error) log.warn('dispatch failed', { order_id: orderId, reason: shipped.error });
    trackingNumber = shipped.trackingNumber;
  }
  jobs.enqueue(orderId);
  log.info('order placed', { order_id: orderId, total_cents: total });
  res.status(201).json({
    orderId,
    totalCents: total,
    payment: payment.reference,
    status: 'paid',
    ...(trackingNumber ? { trackingNumber } : {}),
  });
});

app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  if (err instanceof BadRequest) return void res.status(400).json({ error: err.message });
  const span = trace.getActiveSpan();
  span?.recordException(err);
  span?.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
  log.error('request failed', { error: err.message });
  res.status(500).json({ error: err.message });
});

serve(app, settings.port, 'api', log, async () => {
  await jobs.drain();
  await db.end();
});
