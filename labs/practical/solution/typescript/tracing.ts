// OpenTelemetry for the shipping service (reference solution), preloaded before main.ts with
// `node --import ./tracing.ts main.ts`. The SDK's tracer provider with a batch processor exporting
// OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the lab sets it), the resource naming the service, W3C
// trace context, and the http instrumentation: a SERVER span per request that continues the caller's
// trace, and a CLIENT span per carrier call that carries traceparent on.
import { register } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

// main.ts is an ES module: its `import http from 'node:http'` is only patched through a loader hook.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const provider = new TracerProvider({
  resource: defaultResource().merge(
    resourceFromAttributes({
      'service.name': 'shipping',
      'service.version': '1.0.0',
      'deployment.environment.name': 'lab',
    }),
  ),
  // The standard batch delay variable (the lab sets 500 ms, so traces show up quickly); SDK default 5 s.
  spanProcessors: [
    new BatchSpanProcessor({
      exporter: new OTLPTraceExporter(),
      scheduledDelayMillis: Number(process.env.OTEL_BSP_SCHEDULE_DELAY ?? 5000),
    }),
  ],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(provider);
registerInstrumentations({
  tracerProvider: provider,
  // The lab's health probe is not a request anyone wants to read in a trace.
  instrumentations: [new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url === '/healthz' })],
});

// Spans still in the batch leave before the process does (the lab stops services with SIGTERM).
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    provider.shutdown().finally(() => process.exit(0));
  });
}
