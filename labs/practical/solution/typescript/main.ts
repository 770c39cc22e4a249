// shipping, instrumented: the reference solution of the practical, in TypeScript (tracing.ts starts the
// SDK). Differences from the shipped service (sample-app/src/shipping/main.ts): the custom span
// shipping.quote with its attributes, and failures recorded on the span that saw them (exception event,
// status error). Nothing personal or secret goes into an attribute: not the recipient, not the key.
//   POST /quotes     { items: [{ productId, quantity }] }                        → { weightGrams, costCents, service }
//   POST /shipments  { orderId, items, recipient: { name, email } }              → { trackingNumber }
// Configuration: PORT, CARRIER_URL, CARRIER_API_KEY (the lab sets them).
import http from 'node:http';
import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('shipping');

const port = Number(process.env.PORT ?? 8084);
const carrierUrl = process.env.CARRIER_URL ?? 'http://127.0.0.1:8085';
const carrierKey = process.env.CARRIER_API_KEY ?? '';

interface Item {
  productId: number;
  quantity: number;
}

/** A refusal the caller should hear about (4xx), as opposed to a bug (500). */
class ShippingError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'ShippingError';
    this.status = status;
  }
}

function log(msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(
    `${JSON.stringify({ time: new Date().toISOString(), service: 'shipping', msg, ...fields })}\n`,
  );
}

/** Each product's packed weight, in grams (the catalogue's shipping data, kept here). */
const unitGrams = (productId: number) => 250 + ((productId * 37) % 1750);

function parcelGrams(items: unknown): number {
  if (!Array.isArray(items) || items.length === 0)
    throw new ShippingError('items must be a non-empty list', 400);
  let grams = 0;
  for (const item of items as Partial<Item>[]) {
    if (!Number.isInteger(item.productId) || !Number.isInteger(item.quantity) || Number(item.quantity) < 1)
      throw new ShippingError('each item needs a whole productId and a quantity of at least 1', 400);
    grams += unitGrams(Number(item.productId)) * Number(item.quantity);
  }
  return grams;
}

/** POSTs JSON to the carrier with the API key; answers its JSON, or throws what it refused. */
function callCarrier<T>(path: string, body: unknown): Promise<T> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${carrierUrl}${path}`,
      {
        method: 'POST',
        timeout: 5000,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${carrierKey}`,
        },
      },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          raw += chunk;
        });
        res.on('end', () => {
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(raw || '{}') as Record<string, unknown>;
          } catch {
            return reject(new Error(`the carrier sent something that is not JSON (HTTP ${res.statusCode})`));
          }
          const status = res.statusCode ?? 0;
          if (status === 422)
            return reject(new ShippingError(`the carrier refused the parcel: ${parsed.error}`, 422));
          if (status >= 400)
            return reject(new Error(`the carrier answered ${status}: ${parsed.error ?? raw}`));
          resolve(parsed as T);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`the carrier did not answer ${path} within 5 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Records a failure on a span: the exception as an event, and the span's status. */
function recordFailure(span: Span, e: unknown): void {
  const err = e instanceof Error ? e : new Error(String(e));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
}

// The custom span: the business step, with what it decided. A span started by hand records nothing by
// itself: a failure must be caught, recorded and passed on.
function quote(body: { items?: unknown }) {
  return tracer.startActiveSpan('shipping.quote', async (span) => {
    try {
      const weightGrams = parcelGrams(body.items);
      span.setAttribute('app.shipping.weight_grams', weightGrams);
      const rate = await callCarrier<{ service: string; costCents: number }>('/v1/rates', { weightGrams });
      span.setAttributes({ 'app.shipping.cost_cents': rate.costCents, 'app.shipping.service': rate.service });
      log('quoted', { weight_grams: weightGrams, cost_cents: rate.costCents });
      return { weightGrams, costCents: rate.costCents, service: rate.service };
    } catch (e) {
      recordFailure(span, e);
      throw e;
    } finally {
      span.end();
    }
  });
}

async function dispatch(body: {
  orderId?: unknown;
  items?: unknown;
  recipient?: { name?: unknown; email?: unknown };
}) {
  if (typeof body.orderId !== 'string' && typeof body.orderId !== 'number')
    throw new ShippingError('orderId is required', 400);
  if (typeof body.recipient?.name !== 'string' || typeof body.recipient.email !== 'string')
    throw new ShippingError('recipient needs a name and an email', 400);
  const weightGrams = parcelGrams(body.items);
  const shipment = await callCarrier<{ trackingNumber: string }>('/v1/shipments', {
    reference: String(body.orderId),
    weightGrams,
    recipient: { name: body.recipient.name, email: body.recipient.email },
  });
  log('dispatched', { order_id: String(body.orderId), tracking_number: shipment.trackingNumber });
  return { trackingNumber: shipment.trackingNumber };
}

const routes: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
  'POST /quotes': quote,
  'POST /shipments': dispatch,
};

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(raw || '{}') as Record<string, unknown>);
      } catch {
        reject(new ShippingError('the body must be JSON', 400));
      }
    });
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer(async (req, res) => {
  const route = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
  if (route === 'GET /healthz') return send(res, 200, { ok: true });
  const handler = routes[route];
  if (!handler) return send(res, 404, { error: `no route ${route}` });
  try {
    send(res, 200, await handler(await readJson(req)));
  } catch (e) {
    const err = e as Error;
    const status = err instanceof ShippingError ? err.status : 500;
    // The http instrumentation marks a 5xx SERVER span as an error; the exception itself is ours to add.
    if (status >= 500) {
      const span = trace.getActiveSpan();
      if (span) recordFailure(span, err);
    }
    log(status >= 500 ? 'request failed' : 'request refused', { route, status, error: err.message });
    send(res, status, { error: err.message });
  }
});

server.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EADDRINUSE') {
    process.stderr.write(`shipping: port ${port} is already in use; stop what uses it or set PORT\n`);
    process.exit(2);
  }
  throw e;
});
server.listen(port, process.env.HOST ?? '127.0.0.1', () => log(`shipping listening on ${port}`));

// Stop taking requests and let the process end by itself, so anything else listening for the signal
// (a telemetry SDK flushing its last spans) gets to finish.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
  });
}
