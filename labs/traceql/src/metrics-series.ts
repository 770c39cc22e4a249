// Time series as Tempo's metrics engine passes them between its stages: typed labels keyed like its
// SeriesMapKey, values per bucket (NaN = no value), exemplars; and the protobuf form a stage hands to
// the next (NaN samples and empty series dropped, labels as OTLP AnyValue, so arrays come back nil).
import type { Static } from './ast.ts';
import type { Buckets } from './metrics-buckets.ts';
import type { Span, Trace } from './model.ts';
import { toAnyValue } from './values.ts';

export interface Label {
  readonly name: string;
  readonly value: Static;
}

export interface Exemplar {
  readonly labels: readonly Label[];
  /** NaN until the final stage copies the sample value in (rate, counts). */
  value: number;
  readonly timestampMs: bigint;
  /** The bucket the exemplar's span counted in. */
  readonly interval: number;
  /** The span itself, while the engine works (not part of the answer). */
  readonly span?: Span;
  readonly trace?: Trace;
}

export interface Series {
  readonly labels: readonly Label[];
  values: number[];
  exemplars: Exemplar[];
}

/** Series by the key of their labels. */
export type SeriesSet = Map<string, Series>;

export type AnyValue = Record<string, unknown>;

export interface KeyValue {
  key: string;
  value: AnyValue;
}

/** A series on the wire between stages: only the samples Tempo would send. */
export interface WireSeries {
  labels: KeyValue[];
  samples: { interval: number; value: number }[];
  exemplars: Exemplar[];
}

export const NIL: Static = { t: 'nil' };

export function str(v: string): Static {
  return { t: 'string', v };
}

/** Distinct for distinct values of distinct types, as Tempo's StaticMapKey. */
export function staticKey(v: Static): string {
  switch (v.t) {
    case 'nil':
      return 'n';
    case 'float':
      return `f${Object.is(v.v, -0) ? '-0' : String(v.v)}`;
    case 'intArray':
    case 'floatArray':
    case 'stringArray':
    case 'boolArray':
      return `${v.t}${JSON.stringify(v.v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))}`;
    default:
      return `${v.t[0]}${String(v.v)}`;
  }
}

export function labelsKey(labels: readonly Label[]): string {
  let k = '';
  for (const l of labels) k += `${l.name}\u0000${staticKey(l.value)}\u0001`;
  return k;
}

/** What a label becomes after the trip through protobuf: arrays and everything untyped become nil. */
export function fromAnyValue(v: AnyValue): Static {
  if (typeof v.stringValue === 'string') return { t: 'string', v: v.stringValue };
  if (typeof v.intValue === 'string') return { t: 'int', v: BigInt(v.intValue) };
  if (typeof v.boolValue === 'boolean') return { t: 'bool', v: v.boolValue };
  if (typeof v.doubleValue === 'number') return { t: 'float', v: v.doubleValue };
  return NIL;
}

export function toKeyValues(labels: readonly Label[]): KeyValue[] {
  return labels.map((l) => ({ key: l.name, value: toAnyValue(l.value) }));
}

export function fromKeyValues(kvs: readonly KeyValue[]): Label[] {
  return kvs.map((kv) => ({ name: kv.key, value: fromAnyValue(kv.value) }));
}

/** Tempo's SeriesSet.ToProto: NaN samples are not sent, a series without samples is not sent. */
export function toWire(set: SeriesSet, buckets: Buckets): WireSeries[] {
  const out: WireSeries[] = [];
  for (const s of set.values()) {
    const samples: WireSeries['samples'] = [];
    for (let i = 0; i < s.values.length && i < buckets.count; i++) {
      const value = s.values[i]!;
      if (!Number.isNaN(value)) samples.push({ interval: i, value });
    }
    if (samples.length === 0) continue;
    const exemplars = s.exemplars.filter(
      (e) => e.interval >= 0 && e.interval < s.values.length && !Number.isNaN(s.values[e.interval]!),
    );
    out.push({ labels: toKeyValues(s.labels), samples, exemplars });
  }
  return out;
}

export function filledValues(n: number, v: number): number[] {
  return new Array<number>(n).fill(v);
}

/** Go's time.Duration.Seconds() for a step in nanoseconds. */
export function durationSeconds(ns: bigint): number {
  const NS = 1_000_000_000n;
  return Number(ns / NS) + Number(ns % NS) / 1e9;
}
