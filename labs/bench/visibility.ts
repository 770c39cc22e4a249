// Benchmark: seconds from a request's end to its trace being found in Tempo by id and by TraceQL search.
// Needs a running lab (`make lab-up`); run `npm run bench:visibility -- --requests 100`.
import { parseArgs } from 'node:util';
import { portsFor, tempoUrl } from '@dojo/course';
import { percentile, seconds } from './stats.ts';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '50' }, timeout: { type: 'string', default: '30' } },
});
const requests = Number(values.requests);
const timeoutMs = Number(values.timeout) * 1000;
const tempo = tempoUrl();
const web = process.env.WEB_URL ?? `http://127.0.0.1:${portsFor().web}`;

async function ok(url: string, predicate: (body: string) => boolean): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok && predicate(await res.text());
  } catch {
    return false;
  }
}

async function timeUntil(probe: () => Promise<boolean>, since: number): Promise<number> {
  while (Date.now() - since < timeoutMs) {
    if (await probe()) return Date.now() - since;
    // Polled every 20 ms: the lab's store makes traces visible in well under 100 ms.
    await new Promise((r) => setTimeout(r, 20));
  }
  return Number.NaN;
}

async function oneRequest(): Promise<{ byId: number; bySearch: number }> {
  // A shopper's request: web starts the trace and names it in its traceresponse header.
  const res = await fetch(`${web}/`);
  await res.arrayBuffer();
  const traceId = res.headers.get('traceresponse')?.split('-')[1];
  if (!traceId) throw new Error('web sent no traceresponse header: is tracing off (OTEL_SDK_DISABLED)?');
  const ended = Date.now();
  const startSec = Math.floor(ended / 1000) - 60;
  const q = encodeURIComponent(`{ trace:id = "${traceId}" }`);
  const [byId, bySearch] = await Promise.all([
    timeUntil(() => ok(`${tempo}/api/traces/${traceId}`, (b) => b.includes('"batches"')), ended),
    timeUntil(
      () =>
        ok(`${tempo}/api/search?q=${q}&start=${startSec}&end=${startSec + 3600}`, (b) => {
          const traces = (JSON.parse(b) as { traces?: unknown[] }).traces ?? [];
          return traces.length > 0;
        }),
      ended,
    ),
  ]);
  return { byId, bySearch };
}

if (!(await ok(`${tempo}/ready`, () => true))) {
  process.stderr.write(
    `bench:visibility: Tempo does not answer at ${tempo}/ready; start the lab with \`make lab-up\`\n`,
  );
  process.exit(2);
}
process.stdout.write(`Trace visibility over ${requests} requests (web ${web}, Tempo ${tempo})\n`);
const byId: number[] = [];
const bySearch: number[] = [];
// Four in flight at a time: steady, realistic traffic rather than one lonely request.
for (let i = 0; i < requests; i += 4) {
  const batch = await Promise.all(Array.from({ length: Math.min(4, requests - i) }, () => oneRequest()));
  for (const r of batch) {
    byId.push(r.byId);
    bySearch.push(r.bySearch);
  }
  process.stdout.write(`\r  ${Math.min(i + 4, requests)}/${requests} requests`);
}
const missed = (xs: number[]) => xs.filter(Number.isNaN).length;
const found = (xs: number[]) => xs.filter((x) => !Number.isNaN(x));
process.stdout.write('\n');
process.stdout.write(
  `  by id      p50 ${seconds(percentile(found(byId), 50))}  p95 ${seconds(percentile(found(byId), 95))}  not found ${missed(byId)}\n`,
);
process.stdout.write(
  `  by search  p50 ${seconds(percentile(found(bySearch), 50))}  p95 ${seconds(percentile(found(bySearch), 95))}  not found ${missed(bySearch)}\n`,
);
process.stdout.write(`  reproduce: npm run bench:visibility -- --requests ${requests}\n`);
