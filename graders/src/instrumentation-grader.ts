// `dojo grade instrumentation` (Lab 1): sends its own probe requests through the shop, fetches their
// traces from Tempo by id, reads the tiers' logs, and runs the Lab 1 checks on what it found.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labPaths, portsFor } from '@dojo/labs';
import { type Grade, GradingError } from './grade-model.ts';
import { instrumentationChecks } from './instrumentation-checks.ts';
import type { TempoClient } from './tempo-client.ts';
import { type TraceView, traceView } from './trace-model.ts';

interface Probe {
  traceId: string;
  spanId: string;
  status: number;
}

async function probe(web: string, path: string, init: RequestInit = {}): Promise<Probe> {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  const headers = new Headers(init.headers);
  headers.set('traceparent', `00-${traceId}-${spanId}-01`);
  try {
    const res = await fetch(`${web}${path}`, { ...init, headers, signal: AbortSignal.timeout(15_000) });
    await res.arrayBuffer();
    return { traceId, spanId, status: res.status };
  } catch {
    throw new GradingError(`the shop does not answer at ${web}; start the lab with \`make lab-up\``);
  }
}

/** The probe's trace once both tiers' spans have arrived; the probe's own parent id is not an orphan. */
async function fetchTrace(
  tempo: TempoClient,
  p: Probe,
  settle: (v: TraceView) => boolean,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last: TraceView | undefined;
  while (Date.now() < deadline) {
    const found = await tempo.trace(p.traceId);
    if (found) {
      last = traceView(
        found.spans.map((s) => (s.parentSpanId === p.spanId ? { ...s, parentSpanId: '' } : s)),
      );
      if (settle(last)) return last;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

export async function gradeInstrumentation(tempo: TempoClient, webUrl?: string): Promise<Grade> {
  const web = webUrl ?? process.env.WEB_URL ?? `http://127.0.0.1:${portsFor().web}`;
  const checkoutProbe = await probe(web, '/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'productId=21&quantity=1&customerId=7',
  });
  const failureProbe = await probe(web, '/products/not-a-number');
  const checkout = await fetchTrace(tempo, checkoutProbe, (v) =>
    v.spans.some((s) => s.name === 'order.confirm'),
  );
  const failure = await fetchTrace(tempo, failureProbe, (v) => v.spans.some((s) => s.status === 'error'));
  const logsDir = labPaths().logsDir;
  const logs = ['web.log', 'api.log']
    .map((f) => join(logsDir, f))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  return {
    lab: 'instrumentation',
    title: 'Lab 1 — instrumentation',
    checks: instrumentationChecks({ checkout, failure, logs }),
  };
}
