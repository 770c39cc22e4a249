// The practical's checks (`dojo grade practical`), as pure functions over what the grader gathered:
// the traces of its two checkouts and any shipping spans Tempo holds elsewhere in the same minutes.
// Every failed check says what to change in the service.
import type { Check } from './grade-model.ts';
import type { Span, TraceView } from './trace-model.ts';

export interface PracticalEvidence {
  /** the trace of a checkout that ships */
  checkout: TraceView | undefined;
  /** the trace of a checkout the carrier refuses (a parcel over its weight limit) */
  refused: TraceView | undefined;
  /** shipping spans found by search in the probes' time window, outside the probes' traces */
  elsewhere: Span[];
  /** spans in the window whose service.name is unknown_service… (an SDK without a service name) */
  unnamed: number;
  /** values that must never appear in a span: the shopper's name and email, the carrier's API key */
  secrets: { value: string; what: string }[];
}

export const shippingService = 'shipping';
export const customSpanName = 'shipping.quote';
export const customAttributes = ['app.shipping.weight_grams', 'app.shipping.cost_cents'] as const;

const ofShipping = (v: TraceView | undefined) => v?.spans.filter((s) => s.service === shippingService) ?? [];

/** api's CLIENT calls to shipping (the lab's bootstrap names the peer). */
export const callsToShipping = (v: TraceView | undefined) =>
  v?.spans.filter(
    (s) => s.service === 'api' && s.kind === 'client' && s.attributes['peer.service'] === shippingService,
  ) ?? [];

function ancestors(span: Span, view: TraceView): Span[] {
  const byId = new Map(view.spans.map((s) => [s.spanId, s]));
  const out: Span[] = [];
  for (let p = byId.get(span.parentSpanId); p && out.length < 50; p = byId.get(p.parentSpanId)) out.push(p);
  return out;
}

const underShippingServer = (s: Span, v: TraceView) =>
  ancestors(s, v).some((a) => a.service === shippingService && a.kind === 'server');

const startHint =
  'start the OpenTelemetry SDK before the service runs (TypeScript: sample-app/src/shipping/tracing.ts, which the lab preloads; Python: tracing.py, which app.py imports first) with a batch span processor and an OTLP/HTTP exporter; the lab passes the endpoint in OTEL_EXPORTER_OTLP_ENDPOINT';

function check(
  id: string,
  title: string,
  points: number,
  expected: string,
  outcome: { pass: boolean; found: string; hint?: string; lookedAt?: string },
): Check {
  return {
    id,
    title,
    verdict: outcome.pass ? 'pass' : 'fail',
    points: outcome.pass ? points : 0,
    maxPoints: points,
    expected,
    found: outcome.found,
    ...(outcome.lookedAt ? { lookedAt: outcome.lookedAt } : {}),
    ...(outcome.pass || !outcome.hint ? {} : { hint: outcome.hint }),
  };
}

/**
 * What a check says when shipping has sent nothing at all: the first check says how to start; the others
 * say what they will look for once spans arrive, so every hint teaches its own step.
 */
const nothingYet = (unnamed: number, then?: string) => ({
  pass: false,
  found: 'no span of service.name "shipping" reached Tempo',
  hint: then
    ? `once shipping sends spans (see the first check): ${then}`
    : unnamed > 0
      ? `${unnamed} span(s) arrived as unknown_service: name the service in the SDK's resource (service.name = "shipping")`
      : startHint,
});

const todo = {
  resource:
    'give the tracer provider a resource with service.name "shipping", service.version and deployment.environment.name "lab" (or set them in OTEL_RESOURCE_ATTRIBUTES)',
  serverKind:
    'make one span per incoming request with kind SERVER (the http instrumentation does it for node:http; with http.server start it yourself with kind=SpanKind.SERVER)',
  extract:
    "continue the caller's trace: extract the W3C traceparent header of the incoming request and start the SERVER span in that context (the http instrumentation does it for node:http; in Python pass context=propagate.extract(self.headers))",
  outgoing:
    'trace the outgoing HTTP calls: the http instrumentation covers node:http requests; in Python URLLibInstrumentor().instrument() covers urllib; both inject traceparent into the carrier call',
  custom: `wrap the quote (weighing the parcel and asking the carrier's rate) in a span named ${customSpanName} with ${customAttributes.join(' and ')} as numbers: tracer.startActiveSpan in TypeScript, tracer.start_as_current_span in Python`,
  error:
    'when the carrier refuses the quote, record it on the span that saw it: recordException and setStatus ERROR in TypeScript; in Python start_as_current_span does both for an exception raised inside it',
  leaks:
    'keep personal data and credentials out of telemetry: record an order id, a weight or a price, never a name, an email address or an API key (and do not capture the Authorization header)',
};

export function practicalChecks(e: PracticalEvidence): Check[] {
  const mine = [...ofShipping(e.checkout), ...ofShipping(e.refused)];
  const all = [...mine, ...e.elsewhere];
  const none = all.length === 0;
  return [
    check('practical-exports', "shipping's spans reach Tempo", 1, 'spans with service.name = "shipping"', {
      ...(none
        ? nothingYet(e.unnamed)
        : { pass: true, found: `${all.length} shipping spans around the grader's two checkouts` }),
      lookedAt: '{ resource.service.name = "shipping" }',
    }),
    resourceCheck(all, e.unnamed),
    serverParentCheck(e, all),
    outgoingCheck(e, all),
    customSpanCheck(e, all),
    errorCheck(e, all),
    leakCheck(e, all),
  ];
}

function resourceCheck(all: Span[], unnamed: number): Check {
  const expected =
    'service.name "shipping", a service.version and deployment.environment.name "lab" on the resource';
  if (all.length === 0)
    return check(
      'practical-resource',
      'Resource attributes',
      1,
      expected,
      nothingYet(unnamed, todo.resource),
    );
  const r = all[0]!.resource;
  const environment = r['deployment.environment.name'] ?? r['deployment.environment'];
  const missing = [
    ...(typeof r['service.version'] === 'string' && r['service.version'] !== '' ? [] : ['service.version']),
    ...(environment === 'lab'
      ? []
      : [`deployment.environment.name = "lab" (found ${JSON.stringify(environment ?? null)})`]),
  ];
  return check('practical-resource', 'Resource attributes', 1, expected, {
    pass: missing.length === 0,
    found:
      missing.length === 0
        ? `service.version ${r['service.version']}, deployment.environment.name lab, SDK ${r['telemetry.sdk.language'] ?? '?'}`
        : `missing: ${missing.join(', ')}`,
    hint: `add ${missing.join(' and ')}: ${todo.resource}`,
  });
}

function serverParentCheck(e: PracticalEvidence, all: Span[]): Check {
  const expected =
    "each of api's calls to shipping has a shipping SERVER span as its child, in the same trace";
  const title = "shipping continues api's trace";
  if (all.length === 0)
    return check('practical-server-parent', title, 2, expected, nothingYet(e.unnamed, todo.extract));
  const calls = callsToShipping(e.checkout);
  const v = e.checkout!;
  const answered = calls.filter((c) =>
    v.spans.some((s) => s.service === shippingService && s.kind === 'server' && s.parentSpanId === c.spanId),
  );
  const pass = calls.length > 0 && answered.length === calls.length;
  const servers = all.filter((s) => s.kind === 'server');
  const strayServers = e.elsewhere.filter((s) => s.kind === 'server');
  return check('practical-server-parent', title, 2, expected, {
    pass,
    lookedAt: v.traceId,
    found: `${answered.length} of ${calls.length} calls from api have a shipping SERVER child${
      strayServers.length ? `; ${strayServers.length} shipping SERVER spans are in traces of their own` : ''
    }`,
    hint: servers.length === 0 ? todo.serverKind : todo.extract,
  });
}

function outgoingCheck(e: PracticalEvidence, all: Span[]): Check {
  const expected =
    "a shipping CLIENT span for each carrier call, below shipping's SERVER span in the same trace";
  const title = "shipping's calls to the carrier continue the trace";
  if (all.length === 0)
    return check('practical-outgoing', title, 2, expected, nothingYet(e.unnamed, todo.outgoing));
  const v = e.checkout!;
  const servers = v.spans.filter((s) => s.service === shippingService && s.kind === 'server');
  const clients = v.spans.filter((s) => s.service === shippingService && s.kind === 'client');
  const covered = servers.filter((srv) => clients.some((c) => ancestors(c, v).includes(srv)));
  const pass = servers.length > 0 && covered.length === servers.length;
  const stray = e.elsewhere.filter((s) => s.kind === 'client').length;
  return check('practical-outgoing', title, 2, expected, {
    pass,
    lookedAt: v.traceId,
    found:
      servers.length === 0
        ? 'no shipping SERVER span in the checkout trace to hang the calls under'
        : `${covered.length} of ${servers.length} shipping requests made a CLIENT call in the trace${stray ? `; ${stray} CLIENT spans are elsewhere` : ''}`,
    hint:
      clients.length + stray === 0
        ? todo.outgoing
        : "make the carrier calls inside the request's context (the active span), so their CLIENT spans are its descendants",
  });
}

function customSpanCheck(e: PracticalEvidence, all: Span[]): Check {
  const expected = `a span "${customSpanName}" below shipping's SERVER span, with ${customAttributes.join(' and ')} as whole numbers above 0`;
  const title = `The custom span ${customSpanName}`;
  if (all.length === 0)
    return check('practical-custom-span', title, 2, expected, nothingYet(e.unnamed, todo.custom));
  const v = e.checkout!;
  const named = all.filter((s) => s.name === customSpanName);
  const inTrace = v.spans.filter((s) => s.service === shippingService && s.name === customSpanName);
  if (named.length === 0) {
    return check('practical-custom-span', title, 2, expected, {
      pass: false,
      lookedAt: v.traceId,
      found: `no span named ${customSpanName}; shipping's spans are ${[...new Set(all.map((s) => s.name))].join(', ')}`,
      hint: todo.custom,
    });
  }
  const placed = inTrace.filter((s) => underShippingServer(s, v));
  if (placed.length === 0) {
    return check('practical-custom-span', title, 2, expected, {
      pass: false,
      lookedAt: v.traceId,
      found: `${customSpanName} is not below shipping's SERVER span in the checkout trace`,
      hint: `start ${customSpanName} while the request's span is active (startActiveSpan / start_as_current_span inside the handler), so it becomes its child`,
    });
  }
  const span = placed[0]!;
  const problems = customAttributes.flatMap((key) => {
    const value = span.attributes[key];
    if (value === undefined) return [`${key} is missing`];
    if (typeof value !== 'number' || !Number.isInteger(value))
      return [`${key} is ${JSON.stringify(value)}, not a whole number`];
    return value > 0 ? [] : [`${key} is ${value}`];
  });
  return check('practical-custom-span', title, 2, expected, {
    pass: problems.length === 0,
    lookedAt: v.traceId,
    found:
      problems.length === 0
        ? customAttributes.map((k) => `${k} = ${span.attributes[k]}`).join(', ')
        : problems.join('; '),
    hint: `set ${customAttributes.join(' and ')} on ${customSpanName} as numbers (the parcel's weight in grams, the carrier's price in cents), not as text`,
  });
}

function errorCheck(e: PracticalEvidence, all: Span[]): Check {
  const expected =
    'in the refused checkout, a shipping span of its own (not the instrumented CLIENT call) with status error and an exception event';
  const title = 'The refused parcel is recorded as an error';
  if (all.length === 0)
    return check('practical-error', title, 2, expected, nothingYet(e.unnamed, todo.error));
  const spans = ofShipping(e.refused).filter((s) => s.kind !== 'client');
  const failed = spans.filter((s) => s.status === 'error');
  const withEvent = failed.filter((s) => s.events.some((ev) => ev.name === 'exception'));
  const eventOnly = spans.filter(
    (s) => s.status !== 'error' && s.events.some((ev) => ev.name === 'exception'),
  );
  const pass = withEvent.length > 0;
  return check('practical-error', title, 2, expected, {
    pass,
    ...(e.refused ? { lookedAt: e.refused.traceId } : {}),
    found: pass
      ? `${withEvent.map((s) => s.name).join(', ')}: status error, exception "${String(withEvent[0]!.events.find((ev) => ev.name === 'exception')!.attributes['exception.message'] ?? '')}"`
      : spans.length === 0
        ? 'no shipping span in the refused checkout'
        : failed.length > 0
          ? `${failed.map((s) => s.name).join(', ')} has status error but no exception event`
          : eventOnly.length > 0
            ? `${eventOnly.map((s) => s.name).join(', ')} has an exception event but its status is not error`
            : `none of ${spans.map((s) => s.name).join(', ')} is marked as failed`,
    hint:
      failed.length > 0
        ? 'also record the exception itself (span.recordException / span.record_exception): the event carries its type, message and stack'
        : todo.error,
  });
}

/** Attribute keys that name a credential or personal data, whatever their value. */
const sensitiveKey =
  /(^|[._-])(authorization|api[._-]?key|password|passwd|secret|token|email|e-?mail|recipient|name_of_customer)([._-]|$)/i;
const emailShape = /[\w.+-]+@[\w-]+\.[\w.]+/;

function leakCheck(e: PracticalEvidence, all: Span[]): Check {
  const expected =
    "no personal data (the shopper's name, email) and no credential (the carrier's key) in any shipping span";
  const title = 'Nothing sensitive in the spans';
  if (all.length === 0)
    return check('practical-no-leaks', title, 2, expected, {
      ...nothingYet(e.unnamed, todo.leaks),
      found: 'nothing to inspect: no shipping spans',
    });
  const leaks: string[] = [];
  const inspect = (span: Span, where: string, attrs: Record<string, unknown>) => {
    for (const [key, raw] of Object.entries(attrs)) {
      const value = typeof raw === 'string' ? raw : JSON.stringify(raw ?? '');
      const secret = e.secrets.find((s) => s.value && value.includes(s.value));
      if (secret) leaks.push(`${span.name} ${where}${key} holds ${secret.what}`);
      else if (/bearer\s+\S/i.test(value)) leaks.push(`${span.name} ${where}${key} holds a bearer token`);
      else if (emailShape.test(value)) leaks.push(`${span.name} ${where}${key} holds an email address`);
      else if (sensitiveKey.test(key))
        leaks.push(`${span.name} ${where}${key} is named like personal data or a credential`);
    }
  };
  for (const span of all) {
    inspect(span, 'attribute ', span.attributes);
    for (const ev of span.events) inspect(span, `event ${ev.name} `, ev.attributes);
    inspect(span, 'status message ', { message: span.statusMessage });
  }
  inspect(all[0]!, 'resource ', all[0]!.resource);
  const unique = [...new Set(leaks)];
  return check('practical-no-leaks', title, 2, expected, {
    pass: unique.length === 0,
    found:
      unique.length === 0
        ? `${all.length} spans, their events and the resource inspected: nothing sensitive`
        : unique.slice(0, 4).join('; ') + (unique.length > 4 ? `; and ${unique.length - 4} more` : ''),
    hint: todo.leaks,
  });
}
