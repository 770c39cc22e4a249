// The designed traces each TraceQL question owns (graders/data/fixtures/<question-id>.json): read them,
// and move a set of them to a moment of the caller's choosing with fresh trace ids, as one OTLP/JSON body.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  events?: { timeUnixNano?: string }[];
  [field: string]: unknown;
}
interface OtlpBody {
  resourceSpans: { resource: unknown; scopeSpans: { scope?: unknown; spans: OtlpSpan[] }[] }[];
}

export interface FixtureTrace {
  /** how the bank's `catches` entries name it */
  name: string;
  /** what the trace is, in the lab's terms, and what it separates */
  about: string;
  /** an OTLP/JSON ExportTraceServiceRequest holding this one trace */
  otlp: OtlpBody;
}

export interface FixtureFile {
  question: string;
  about: string;
  traces: FixtureTrace[];
}

export const fixturesDir = new URL('../data/fixtures/', import.meta.url);

/** A question's fixtures; a question without a file is a bug in the bank, not the learner's problem. */
export function loadFixtures(questionId: string): FixtureFile {
  const file = JSON.parse(readFileSync(new URL(`${questionId}.json`, fixturesDir), 'utf8')) as FixtureFile;
  if (file.question !== questionId || !Array.isArray(file.traces) || file.traces.length === 0)
    throw new Error(`graders/data/fixtures/${questionId}.json: expected the fixtures of ${questionId}`);
  return file;
}

export interface PlacedTrace {
  question: string;
  name: string;
  about: string;
  /** the fresh trace id, 32 hex digits */
  traceId: string;
  spans: number;
}

export const spansOf = (body: OtlpBody) =>
  body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));

/**
 * The fixtures' traces as one OTLP body, shifted so that the last span ends at `endMs` (their spacing is
 * kept), each with a fresh random trace id: a second grading never adds spans to the first one's traces.
 */
export function placeFixtures(
  files: FixtureFile[],
  endMs: number,
): { body: OtlpBody; traces: PlacedTrace[] } {
  const all = files.flatMap((f) => f.traces.map((t) => ({ question: f.question, trace: t })));
  let last = 0n;
  for (const { trace } of all)
    for (const span of spansOf(trace.otlp)) {
      const end = BigInt(span.endTimeUnixNano);
      if (end > last) last = end;
    }
  const shift = BigInt(Math.round(endMs)) * 1_000_000n - last;
  const moved = (t: string) => (BigInt(t) + shift).toString();
  const traces: PlacedTrace[] = [];
  const resourceSpans: OtlpBody['resourceSpans'] = [];
  for (const { question, trace } of all) {
    const traceId = randomBytes(16).toString('hex');
    traces.push({
      question,
      name: trace.name,
      about: trace.about,
      traceId,
      spans: spansOf(trace.otlp).length,
    });
    for (const r of trace.otlp.resourceSpans) {
      resourceSpans.push({
        resource: r.resource,
        scopeSpans: r.scopeSpans.map((s) => ({
          ...s,
          spans: s.spans.map((span) => ({
            ...span,
            traceId,
            startTimeUnixNano: moved(span.startTimeUnixNano),
            endTimeUnixNano: moved(span.endTimeUnixNano),
            ...(span.events
              ? {
                  events: span.events.map((e) =>
                    e.timeUnixNano ? { ...e, timeUnixNano: moved(e.timeUnixNano) } : e,
                  ),
                }
              : {}),
          })),
        })),
      });
    }
  }
  return { body: { resourceSpans }, traces };
}
