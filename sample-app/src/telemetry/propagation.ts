// The propagator the tiers use. The missing-propagation fault is a real misconfiguration: web gets a
// propagator that still extracts incoming context but never injects it into outbound calls.
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';

export function standardPropagator(): TextMapPropagator {
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
}

/** Reads traceparent on the way in, writes nothing on the way out. */
export class ExtractOnlyPropagator implements TextMapPropagator {
  private readonly inner: TextMapPropagator;
  constructor(inner: TextMapPropagator) {
    this.inner = inner;
  }
  inject(_context: Context, _carrier: unknown, _setter: TextMapSetter): void {}
  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.inner.extract(context, carrier, getter);
  }
  fields(): string[] {
    return [];
  }
}
