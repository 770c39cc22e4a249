// The designed traces of the questions a seed varies, moved to the learner's values before they are pushed:
// q-slow-db's traces stretched so its threshold cases sit at the learner's threshold (a query exactly at
// it, one just over), q-customer-journey's customers renumbered to the learner's customer and the one
// after. The traces keep their shape, so every catch still has the trace that tells it.
import type { Variant } from '@dojo/course';
import { type FixtureFile, type FixtureTrace, spansOf } from './fixture-files.ts';

type Otlp = FixtureTrace['otlp'];
type Span = Otlp['resourceSpans'][number]['scopeSpans'][number]['spans'][number];
interface Attribute {
  key: string;
  value: { intValue?: string; stringValue?: string };
}

const mapSpans = (otlp: Otlp, f: (span: Span) => Span): Otlp => ({
  resourceSpans: otlp.resourceSpans.map((r) => ({
    ...r,
    scopeSpans: r.scopeSpans.map((s) => ({ ...s, spans: s.spans.map(f) })),
  })),
});

/** Every time of the trace moved so its distances from the first start are multiplied by `num/den`. */
function stretch(otlp: Otlp, num: bigint, den: bigint): Otlp {
  let first: bigint | undefined;
  for (const s of spansOf(otlp)) {
    const t = BigInt(s.startTimeUnixNano);
    if (first === undefined || t < first) first = t;
  }
  const at = (t: string) => (first! + ((BigInt(t) - first!) * num) / den).toString();
  return mapSpans(otlp, (s) => ({
    ...s,
    startTimeUnixNano: at(s.startTimeUnixNano),
    endTimeUnixNano: at(s.endTimeUnixNano),
    ...(s.events
      ? { events: s.events.map((e) => (e.timeUnixNano ? { ...e, timeUnixNano: at(e.timeUnixNano) } : e)) }
      : {}),
  }));
}

/** Customer and order ids renumbered by `to` (ids it does not name are left alone). */
function renumber(otlp: Otlp, to: Map<string, string>): Otlp {
  const keys = new Set(['app.customer.id', 'app.order.id']);
  return mapSpans(otlp, (s) => ({
    ...s,
    attributes: ((s.attributes ?? []) as Attribute[]).map((a) => {
      if (!keys.has(a.key)) return a;
      const v = a.value.intValue ?? a.value.stringValue;
      const next = v === undefined ? undefined : to.get(v);
      if (next === undefined) return a;
      return { ...a, value: a.value.intValue !== undefined ? { intValue: next } : { stringValue: next } };
    }),
  }));
}

/** "customer 42" and "order 42" in a trace's description, renumbered as its attributes are. */
const words = (text: string, to: Map<string, string>) =>
  text.replace(/\b(customer|order) (\d+)\b/gi, (whole, what: string, n: string) =>
    to.has(n) ? `${what} ${to.get(n)}` : whole,
  );

/** `file` as the learner with `variant` is graded on; the course's own values leave it as it is. */
export function fixturesForVariant(file: FixtureFile, variant: Variant): FixtureFile {
  if (variant.seed === undefined) return file;
  if (file.question === 'q-slow-db') {
    const [num, den] = [BigInt(variant.slowMs), 500n];
    const ms = (text: string) =>
      text.replace(/\b(\d+) ?ms\b/g, (_, n: string) => `${(BigInt(n) * num) / den} ms`);
    return {
      ...file,
      about: ms(file.about),
      traces: file.traces.map((t) => ({ ...t, about: ms(t.about), otlp: stretch(t.otlp, num, den) })),
    };
  }
  if (file.question === 'q-customer-journey') {
    const c = variant.customer;
    const to = new Map([
      ['42', String(c)],
      ['43', String(c + 1)],
      ['420', String(c * 10)],
    ]);
    return {
      ...file,
      about: words(file.about, to),
      traces: file.traces.map((t) => ({ ...t, about: words(t.about, to), otlp: renumber(t.otlp, to) })),
    };
  }
  return file;
}
