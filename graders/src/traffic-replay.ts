// Turns recorded requests into a window of shopper traffic: arrivals at a steady rate with the loadgen's
// page mix, each a recorded trace of its route (fresh ids, shifted in time, durations scaled a little),
// seeded so the same window comes out every time. A window is made of segments, one scenario each.
import {
  type OtlpResourceSpans,
  type OtlpSpan,
  type RecordedRequest,
  type RecordedScenario,
  readRecording,
} from './traffic-recording.ts';

export interface Segment {
  scenario: RecordedScenario;
  startMs: number;
  endMs: number;
}

export interface ReplayOptions {
  /** shopper requests per second (the loadgen's default is 2; the graders need far fewer) */
  rps: number;
  seed: number;
}

/** The loadgen's mix (sample-app/src/loadgen/journeys.ts): home 30 %, product 35 %, search 15 %, checkout 20 %. */
const mix: [string, number][] = [
  ['GET /', 0.3],
  ['GET /products/:id', 0.35],
  ['GET /search', 0.15],
  ['POST /checkout', 0.2],
];

/** mulberry32: a small seeded generator, so a replayed window is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hexOf = (random: () => number, bytes: number) => {
  let s = '';
  for (let i = 0; i < bytes; i++)
    s += Math.floor(random() * 256)
      .toString(16)
      .padStart(2, '0');
  return s;
};

function pickRoute(random: () => number): string {
  let roll = random();
  for (const [route, share] of mix) {
    if (roll < share) return route;
    roll -= share;
  }
  return mix.at(-1)![0];
}

function byRoute(scenario: RecordedScenario): Map<string, RecordedRequest[]> {
  const m = new Map<string, RecordedRequest[]>();
  for (const r of readRecording(scenario).requests) m.set(r.route, [...(m.get(r.route) ?? []), r]);
  return m;
}

const startOf = (r: RecordedRequest) =>
  r.resourceSpans
    .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
    .reduce((min, s) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min), 2n ** 63n);

/** One recorded request replayed at `atMs` with new ids and durations times `scale`. */
export function replayRequest(
  r: RecordedRequest,
  atMs: number,
  scale: number,
  random: () => number,
): OtlpResourceSpans[] {
  const traceId = hexOf(random, 16);
  const ids = new Map<string, string>();
  const idFor = (old: string) => {
    const known = ids.get(old);
    if (known) return known;
    const id = hexOf(random, 8);
    ids.set(old, id);
    return id;
  };
  const origin = startOf(r);
  const at = BigInt(Math.round(atMs)) * 1_000_000n;
  const shift = (t: string | undefined) =>
    t === undefined ? undefined : String(at + BigInt(Math.round(Number(BigInt(t) - origin) * scale)));
  return r.resourceSpans.map((rs) => ({
    resource: rs.resource,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      ...(ss.scope ? { scope: ss.scope } : {}),
      spans: ss.spans.map(
        (s): OtlpSpan => ({
          ...s,
          traceId,
          spanId: idFor(s.spanId),
          ...(s.parentSpanId ? { parentSpanId: idFor(s.parentSpanId) } : {}),
          startTimeUnixNano: shift(s.startTimeUnixNano)!,
          endTimeUnixNano: shift(s.endTimeUnixNano)!,
          ...(s.events
            ? { events: s.events.map((e) => ({ ...e, timeUnixNano: shift(e.timeUnixNano) ?? '0' })) }
            : {}),
        }),
      ),
    })),
  }));
}

/** Every request of the window, oldest first: its arrival time and its spans as OTLP/JSON. */
export function replayWindow(
  segments: Segment[],
  opts: ReplayOptions,
): { atMs: number; spans: OtlpResourceSpans[] }[] {
  const random = seeded(opts.seed);
  const gapMs = 1000 / opts.rps;
  const out: { atMs: number; spans: OtlpResourceSpans[] }[] = [];
  for (const seg of segments) {
    const recorded = byRoute(seg.scenario);
    for (let t = seg.startMs; t < seg.endMs; t += gapMs) {
      const atMs = Math.min(t + random() * gapMs * 0.9, seg.endMs - 1);
      const choices = recorded.get(pickRoute(random)) ?? [];
      if (choices.length === 0) continue;
      const r = choices[Math.floor(random() * choices.length)]!;
      // 0.8-1.25x, the spread a lab's requests of one kind show from one minute to the next
      const scale = Math.exp((random() - 0.5) * 0.45);
      out.push({ atMs, spans: replayRequest(r, atMs, scale, random) });
    }
  }
  return out;
}
