// A private instance of the lab's Tempo-compatible store holding replayed traffic, one tenant per story:
// `healthy` is 40 minutes of healthy traffic; `slow-query` and `error-cascade` are 20 healthy minutes
// followed by 20 minutes of the fault. Dashboards and alerts are run against it over Tempo's HTTP API,
// so grading needs no live traffic and no waiting, and gives the same answer every time.
import { startStore } from '@dojo/tempo-store';
import type { RecordedScenario } from './traffic-recording.ts';
import { replayWindow, type Segment } from './traffic-replay.ts';

export type { Segment } from './traffic-replay.ts';

export const replayMinutes = { window: 40, faultAfter: 20 } as const;
export const stories = [
  'healthy',
  'slow-query',
  'error-cascade',
] as const satisfies readonly RecordedScenario[];
export type Story = (typeof stories)[number];

export interface ReplayLab {
  /** Tempo's HTTP API of the private store (send X-Scope-OrgID: <story>) */
  tempoUrl: string;
  startMs: number;
  /** when the fault begins in the slow-query and error-cascade stories */
  faultMs: number;
  /** the replay's "now": the end of every story */
  endMs: number;
  rps: number;
  spans: Record<Story, number>;
  close(): Promise<void>;
}

const minute = 60_000;

export function storySegments(story: Story, startMs: number, faultMs: number, endMs: number): Segment[] {
  if (story === 'healthy') return [{ scenario: 'healthy', startMs, endMs }];
  return [
    { scenario: 'healthy', startMs, endMs: faultMs },
    { scenario: story, startMs: faultMs, endMs },
  ];
}

async function push(otlpUrl: string, tenant: string | undefined, body: object): Promise<void> {
  const res = await fetch(`${otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(tenant ? { 'x-scope-orgid': tenant } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  // A refused or partial push is a bug in the replay, not the learner's doing.
  if (!res.ok || text.includes('rejected'))
    throw new Error(`replay push to ${otlpUrl} failed: ${res.status} ${text}`);
}

/**
 * Replays `segments` into the OTLP/HTTP receiver at `otlpUrl` (a tenant's, when given), 100 requests
 * per push; answers how many spans went in. The store answers a push once the spans are searchable.
 */
export async function pushReplay(
  otlpUrl: string,
  segments: Segment[],
  options: { rps: number; seed: number; tenant?: string },
): Promise<number> {
  const requests = replayWindow(segments, options);
  let spans = 0;
  for (let k = 0; k < requests.length; k += 100) {
    const batch = requests.slice(k, k + 100);
    for (const r of batch)
      spans += r.spans.reduce((n, rs) => n + rs.scopeSpans.reduce((m, ss) => m + ss.spans.length, 0), 0);
    await push(otlpUrl, options.tenant, { resourceSpans: batch.flatMap((r) => r.spans) });
  }
  return spans;
}

export async function startReplayLab(options: { rps?: number; endMs?: number } = {}): Promise<ReplayLab> {
  const rps = options.rps ?? 0.5;
  const endMs = options.endMs ?? Math.floor(Date.now() / minute) * minute;
  const startMs = endMs - replayMinutes.window * minute;
  const faultMs = startMs + replayMinutes.faultAfter * minute;
  // Replayed spans are up to 40 minutes old when they arrive; retention counts from arrival.
  const store = await startStore({ httpPort: 0, otlpHttpPort: 0, otlpGrpcPort: 0, multitenancy: true });
  const spans = {} as Record<Story, number>;
  try {
    for (const [i, story] of stories.entries())
      spans[story] = await pushReplay(store.urls.otlpHttp, storySegments(story, startMs, faultMs, endMs), {
        rps,
        seed: 15 + i,
        tenant: story,
      });
  } catch (e) {
    await store.close();
    throw e;
  }
  return { tempoUrl: store.urls.tempo, startMs, faultMs, endMs, rps, spans, close: () => store.close() };
}
