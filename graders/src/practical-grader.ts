// `dojo grade practical`: sends two checkouts through the shop (one that ships, one the carrier refuses),
// fetches their traces from Tempo, searches the same minutes for shipping spans that landed elsewhere,
// and runs the practical's checks on what it found. It reads traces only, never the service's code.
import { carrierApiKey, portsFor } from '@dojo/course';
import { type Grade, GradingError } from './grade-model.ts';
import { callsToShipping, practicalChecks, shippingService } from './practical-checks.ts';
import type { TempoClient } from './tempo-client.ts';
import type { Span, TraceView } from './trace-model.ts';

export interface PracticalTarget {
  /** the shop's web tier (default WEB_URL, else the lab's port) */
  webUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** how long to wait for shipping's spans once api's are in (a learner's SDK may batch for 5 s) */
  graceMs?: number;
}

/** The seed's customers (sample-app/src/db/seed.sql): whom the probe checkout ships to. */
const customer = (id: number) => ({ name: `Customer ${id}`, email: `customer${id}@example.com` });

async function checkout(
  web: string,
  form: Record<string, number>,
): Promise<{ traceId: string; status: number }> {
  let res: Response;
  try {
    res = await fetch(`${web}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString(),
      signal: AbortSignal.timeout(20_000),
    });
    await res.arrayBuffer();
  } catch {
    throw new GradingError(
      `the shop does not answer at ${web}; start the lab with \`DOJO_PRACTICAL=typescript make lab-up\``,
    );
  }
  const traceId = (res.headers.get('traceresponse') ?? '').split('-')[1];
  if (!traceId)
    throw new GradingError(
      `web at ${web} did not name the checkout's trace (no traceresponse header); is tracing off?`,
    );
  return { traceId, status: res.status };
}

/**
 * The probe's trace once `done` holds, or what Tempo has when shipping's part is overdue: api's calls to
 * shipping are in, and `graceMs` more passed without shipping's spans completing it.
 */
async function fetchTrace(
  tempo: TempoClient,
  traceId: string,
  done: (v: TraceView) => boolean,
  graceMs: number,
) {
  const started = Date.now();
  let last: TraceView | undefined;
  let callsSeenAt: number | undefined;
  while (Date.now() - started < 30_000 && (callsSeenAt === undefined || Date.now() - callsSeenAt < graceMs)) {
    last = (await tempo.trace(traceId)) ?? last;
    if (last && done(last)) return last;
    if (callsSeenAt === undefined && last && callsToShipping(last).length > 0) callsSeenAt = Date.now();
    await new Promise((r) => setTimeout(r, 300));
  }
  return last;
}

const shippingSpans = (v: TraceView) => v.spans.filter((s) => s.service === shippingService);

/** Shipping spans Tempo holds in the window outside the probes' traces: a broken trace's other half. */
async function strays(tempo: TempoClient, window: { start: number; end: number }, probes: string[]) {
  const hits = await tempo.search(`{ resource.service.name = "${shippingService}" }`, {
    ...window,
    limit: 20,
  });
  const spans: Span[] = [];
  for (const hit of hits.filter((h) => !probes.includes(h.traceId)).slice(0, 8)) {
    const view = await tempo.trace(hit.traceId);
    if (view) spans.push(...shippingSpans(view));
  }
  const unnamed = await tempo.search('{ resource.service.name =~ "unknown_service.*" }', {
    ...window,
    limit: 20,
  });
  return { spans, unnamed: unnamed.reduce((n, h) => n + Math.max(1, h.matched), 0) };
}

export async function gradePractical(tempo: TempoClient, target: PracticalTarget = {}): Promise<Grade> {
  const env = target.env ?? process.env;
  const web = target.webUrl ?? env.WEB_URL ?? `http://127.0.0.1:${portsFor(env).web}`;
  const graceMs = target.graceMs ?? 12_000;
  const start = Date.now() / 1000 - 2;
  const customerId = 1 + Math.floor(Math.random() * 5000);
  const productId = 1 + Math.floor(Math.random() * 2000);
  const shipped = await checkout(web, { productId, quantity: 1, customerId });
  // Heavy enough for any product (at least 250 g each) to break the carrier's 30 kg limit.
  const refusedProbe = await checkout(web, { productId, quantity: 200, customerId });
  const [shippedView, refusedView] = await Promise.all([
    fetchTrace(
      tempo,
      shipped.traceId,
      (v) =>
        callsToShipping(v).length >= 2 &&
        shippingSpans(v).filter((s) => s.kind === 'server').length >= 2 &&
        shippingSpans(v).some((s) => s.name === 'shipping.quote'),
      graceMs,
    ),
    fetchTrace(
      tempo,
      refusedProbe.traceId,
      (v) =>
        shippingSpans(v).some((s) => s.status === 'error' && s.events.some((e) => e.name === 'exception')),
      graceMs,
    ),
  ]);
  if (!shippedView || callsToShipping(shippedView).length === 0) {
    throw new GradingError(
      shippedView
        ? 'api made no call to shipping during checkout: start the lab with the practical on (DOJO_PRACTICAL=typescript or python make lab-up)'
        : `the checkout's trace ${shipped.traceId} never reached Tempo at ${tempo.baseUrl}; is the lab running?`,
    );
  }
  const elsewhere = await strays(tempo, { start, end: Date.now() / 1000 + 1 }, [
    shipped.traceId,
    refusedProbe.traceId,
  ]);
  const who = customer(customerId);
  return {
    lab: 'practical',
    title: 'Practical — instrument the shipping service',
    checks: practicalChecks({
      checkout: shippedView,
      refused: refusedView,
      elsewhere: elsewhere.spans,
      unnamed: elsewhere.unnamed,
      secrets: [
        { value: who.email, what: "the shopper's email" },
        { value: who.name, what: "the shopper's name" },
        { value: carrierApiKey, what: "the carrier's API key" },
      ],
    }),
  };
}
