// Records real requests of the sample app, per route and scenario, for the dashboard and alert graders'
// replayed traffic (graders/data/traffic/<scenario>.json). Run from the repo root:
//   node graders/scripts/record-traffic.ts      (starts its own lab on DOJO_PORT_OFFSET, default 1000)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portsFor } from '@dojo/course';
import { runDojo } from '@dojo/labs/testing';
import { type RecordedRequest, toRecorded } from '../src/traffic-recording.ts';

const out = new URL('../data/traffic/', import.meta.url);
const stateDir = mkdtempSync(join(tmpdir(), 'dojo-record-'));
const env = {
  ...process.env,
  DOJO_PORT_OFFSET: process.env.DOJO_PORT_OFFSET ?? '1000',
  DOJO_STATE_DIR: stateDir,
  NO_COLOR: '1',
};
const ports = portsFor(env);
const web = `http://127.0.0.1:${ports.web}`;
const tempo = `http://127.0.0.1:${ports.tempoHttp}`;
const terms = ['zipper', 'battery', 'lens', 'strap', 'warranty', 'motor'];

interface Plan {
  route: string;
  path: (i: number) => string;
  init?: RequestInit;
  /** how many requests to keep with each outcome (HTTP status class), or any outcome */
  want: { count: number; status?: (s: number) => boolean }[];
}
const checkout = (i: number): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: `productId=${11 + i}&quantity=${1 + (i % 3)}&customerId=${40 + i}`,
});
const pages: Plan[] = [
  { route: 'GET /', path: () => '/', want: [{ count: 6 }] },
  { route: 'GET /products/:id', path: (i) => `/products/${3 + i * 7}`, want: [{ count: 6 }] },
  { route: 'GET /search', path: (i) => `/search?q=${terms[i % terms.length]}`, want: [{ count: 6 }] },
];
const plans: Record<string, Plan[]> = {
  healthy: [...pages, { route: 'POST /checkout', path: () => '/checkout', want: [{ count: 6 }] }],
  'slow-query': [...pages, { route: 'POST /checkout', path: () => '/checkout', want: [{ count: 6 }] }],
  // The catalog's paymentsFailShare is 0.3: keep 3 failed checkouts in 10.
  'error-cascade': [
    ...pages,
    {
      route: 'POST /checkout',
      path: () => '/checkout',
      want: [
        { count: 3, status: (s) => s >= 500 },
        { count: 7, status: (s) => s < 400 },
      ],
    },
  ],
};

async function send(plan: Plan, i: number) {
  const init = plan.route.startsWith('POST') ? checkout(i) : (plan.init ?? {});
  const res = await fetch(`${web}${plan.path(i)}`, init);
  await res.arrayBuffer();
  const traceId = res.headers.get('traceresponse')?.split('-')[1];
  if (!traceId) throw new Error(`web sent no traceresponse for ${plan.route}`);
  return { traceId, status: res.status };
}

/** The trace once it stops growing (the SDK exports in batches; the order job ends after the response). */
async function settled(traceId: string): Promise<unknown> {
  let last = -1;
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${tempo}/api/traces/${traceId}`);
    const body = res.ok
      ? ((await res.json()) as { batches?: { scopeSpans?: { spans?: unknown[] }[] }[] })
      : {};
    const n = (body.batches ?? []).flatMap((b) => b.scopeSpans ?? []).flatMap((s) => s.spans ?? []).length;
    if (n > 0 && n === last) return body;
    last = n;
    await new Promise((r) => setTimeout(r, 700));
  }
  throw new Error(`trace ${traceId} did not settle`);
}

try {
  const up = await runDojo(['lab', 'up', '--no-load', '--scenario', 'healthy'], env);
  if (up.code !== 0) throw new Error(up.stderr);
  for (const [scenario, plan] of Object.entries(plans)) {
    if (scenario !== 'healthy') {
      const set = await runDojo(['scenario', 'set', scenario], env);
      if (set.code !== 0) throw new Error(set.stderr);
    }
    const requests: RecordedRequest[] = [];
    for (const p of plan) {
      for (const w of p.want) {
        let kept = 0;
        for (let i = 0; kept < w.count; i++) {
          if (i > 80) throw new Error(`${scenario} ${p.route}: not enough requests with the wanted outcome`);
          const sent = await send(p, i);
          if (w.status && !w.status(sent.status)) continue;
          requests.push(toRecorded(p.route, sent.status, await settled(sent.traceId)));
          kept++;
        }
      }
    }
    const file = new URL(`${scenario}.json`, out);
    writeFileSync(file, `${JSON.stringify({ scenario, requests })}\n`);
    const spans = requests.reduce((n, r) => n + r.spans, 0);
    process.stdout.write(`${scenario}: ${requests.length} requests, ${spans} spans\n`);
  }
} finally {
  await runDojo(['lab', 'down'], env, 60_000);
  rmSync(stateDir, { recursive: true, force: true });
}
