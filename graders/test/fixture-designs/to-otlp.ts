// Turns designed traces (span drafts) into the fixture files the grader pushes: OTLP/JSON request bodies
// (hex ids, times as decimal nanosecond strings, integer kinds and status codes) with stable ids, so a
// rebuild changes a file only when its design changes.
import { createHash } from 'node:crypto';
import { releaseOf } from '@dojo/course';
import type { FixtureFile, FixtureTrace } from '../../src/fixture-files.ts';
import type { Service, SpanDraft, Value } from './lab-spans.ts';

export interface TraceDesign {
  name: string;
  about: string;
  /** the scenario whose lab would produce this trace (the resource's app.scenario) */
  scenario: string;
  /** one root, or several for a trace cut in parts that still share an id (never in the lab) */
  root: SpanDraft;
}

/** Where every fixture file's timeline starts; the grader moves it to just before its window's end. */
const baseMs = 1_764_000_000_000;
const gapMs = 4_000;

const kinds = { internal: 1, server: 2, client: 3, consumer: 5 } as const;

const hash = (text: string, hexDigits: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, hexDigits);

function anyValue(v: Value): Record<string, unknown> {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: v };
}
const keyValues = (attrs: Record<string, Value>) =>
  Object.entries(attrs).map(([key, v]) => ({ key, value: anyValue(v) }));

const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

function toOtlp(design: TraceDesign, traceId: string, startMs: number): object {
  const groups = new Map<string, { service: Service; scope: string; spans: object[] }>();
  let n = 0;
  const walk = (span: SpanDraft, parentId: string) => {
    const spanId = hash(`${traceId}/${n++}`, 16);
    const key = `${span.service} ${span.scope}`;
    if (!groups.has(key)) groups.set(key, { service: span.service, scope: span.scope, spans: [] });
    const start = startMs + span.at;
    groups.get(key)!.spans.push({
      traceId,
      spanId,
      ...(parentId ? { parentSpanId: parentId } : {}),
      name: span.name,
      kind: kinds[span.kind],
      startTimeUnixNano: nanos(start),
      endTimeUnixNano: nanos(start + span.ms),
      attributes: keyValues(span.attrs),
      ...(span.exception
        ? {
            events: [
              {
                timeUnixNano: nanos(start + span.ms),
                name: 'exception',
                attributes: keyValues({
                  'exception.type': span.exception.type,
                  'exception.message': span.exception.message,
                }),
              },
            ],
          }
        : {}),
      status: span.error !== undefined ? { code: 2, ...(span.error ? { message: span.error } : {}) } : {},
    });
    for (const child of span.children) walk(child, spanId);
  };
  walk(design.root, '');
  const services = new Map<Service, { scope: string; spans: object[] }[]>();
  for (const g of groups.values()) {
    services.set(g.service, [...(services.get(g.service) ?? []), { scope: g.scope, spans: g.spans }]);
  }
  return {
    resourceSpans: [...services].map(([service, scopes]) => ({
      resource: {
        attributes: keyValues({
          'service.name': service,
          // The release the scenario runs, as the tiers report it (a scenario's deploy names its commit).
          'service.version': releaseOf(service, design.scenario).version,
          'vcs.ref.head.revision': releaseOf(service, design.scenario).revision,
          'vcs.repository.url.full': releaseOf(service, design.scenario).repository,
          'deployment.environment': 'lab',
          'app.scenario': design.scenario,
          'telemetry.sdk.language': 'nodejs',
          'telemetry.sdk.name': 'opentelemetry',
          'telemetry.sdk.version': '3.1.0',
        }),
      },
      scopeSpans: scopes.map((s) => ({ scope: { name: s.scope }, spans: s.spans })),
    })),
  };
}

export function fixtureFile(question: string, about: string, designs: TraceDesign[]): FixtureFile {
  const names = new Set<string>();
  const traces: FixtureTrace[] = designs.map((d, i) => {
    if (names.has(d.name)) throw new Error(`${question}: two fixture traces named ${d.name}`);
    names.add(d.name);
    return {
      name: d.name,
      about: d.about,
      otlp: toOtlp(d, hash(`${question}/${d.name}`, 32), baseMs + i * gapMs) as FixtureTrace['otlp'],
    };
  });
  return { question, about, traces };
}
