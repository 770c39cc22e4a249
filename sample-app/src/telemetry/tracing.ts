// The lab's tracing, started before a tier's own code so the instrumentations can patch http, express
// and pg as they load. Exports OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, configured by the standard
// OTEL_* variables (tracing-env.ts lists the ones honoured).
//
// Composed from the SDK's parts rather than with NodeSDK: NodeSDK also loads every metrics, logs, gRPC,
// Zipkin and Prometheus exporter (about 70 MB resident the lab never uses) and, by default, exports
// metrics and logs to an endpoint that only takes traces. docs/performance.md has the measurements.

import { register as registerLoaderThread } from 'node:module';
import { findScenario, loadCatalog, portsFor, releaseOf, type TierRelease } from '@dojo/course';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { register as registerSyncHooks, supportsSyncHooks } from 'import-in-the-middle/register-hooks.mjs';
import { sampleAppVersion } from '../version.ts';
import { shutdownHook } from './lifecycle.ts';
import { ExtractOnlyPropagator, standardPropagator } from './propagation.ts';
import { resendCountOption } from './resend-count.ts';
import { readTracingSettings, TracingEnvError, type TracingSettings } from './tracing-env.ts';

// Stable HTTP attribute names (http.request.method, http.route, url.full, http.response.status_code).
process.env.OTEL_SEMCONV_STABILITY_OPT_IN ??= 'http';

let settings: TracingSettings;
try {
  settings = readTracingSettings();
} catch (err) {
  if (!(err instanceof TracingEnvError)) throw err;
  process.stderr.write(`${process.env.OTEL_SERVICE_NAME ?? 'tier'}: ${err.message}\n`);
  process.exit(2);
}

const service = process.env.OTEL_SERVICE_NAME ?? 'unknown_service';
const scenario = process.env.DOJO_SCENARIO || 'healthy';

let webPropagation = true;
// The shop's tiers run the release the active scenario deployed: a learner goes from a slow span's
// resource (service.version, vcs.ref.head.revision) to the deploy that shipped it.
let release: TierRelease | undefined;
try {
  webPropagation = findScenario(scenario).faults.webPropagation;
  if (service in loadCatalog().releases.baseline) release = releaseOf(service, scenario);
} catch {
  // An unknown scenario is reported by the tier itself, as one line; telemetry stays standard.
}
const portOf = (url: string | undefined, fallback: number) => (url ? new URL(url).port : String(fallback));
const peerPorts = {
  payments: portOf(process.env.PAYMENTS_URL, portsFor().payments),
  api: portOf(process.env.API_URL, portsFor().api),
  shipping: portOf(process.env.SHIPPING_URL, portsFor().shipping),
};

const available = {
  http: () =>
    new HttpInstrumentation({
      // Health probes are noise in a learner's trace list.
      ignoreIncomingRequestHook: (req) => req.url === '/healthz',
      // Name the peer of outbound calls so TraceQL can single out the vendor (span.peer.service).
      // A re-send after a reset carries http.request.resend_count (http-client.ts numbers it).
      startOutgoingSpanHook: (options) => {
        const port = String(options.port ?? '');
        const resend = (options as Record<string, unknown>)[resendCountOption];
        return {
          ...(port && port === peerPorts.payments
            ? { 'peer.service': 'payments' }
            : port && port === peerPorts.api
              ? { 'peer.service': 'api' }
              : port && port === peerPorts.shipping
                ? { 'peer.service': 'shipping' }
                : {}),
          ...(typeof resend === 'number' ? { 'http.request.resend_count': resend } : {}),
        };
      },
    }),
  // Route handlers, not every middleware: a learner reads the request flow, and each span costs CPU.
  express: () => new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
  pg: () =>
    new PgInstrumentation({
      // Start-up DDL and pool warm-up would otherwise appear as orphan root traces of api.
      requireParentSpan: true,
      // A pool checkout before every query doubles the database spans and says little.
      ignoreConnectSpans: true,
      // The SDK emits the stable db.system.name; the course's queries also use the widely taught
      // db.system / db.statement, so both are written while the conventions migrate.
      requestHook: (span, info) => {
        span.setAttribute('db.system', 'postgresql');
        if (info.query.text) span.setAttribute('db.statement', info.query.text);
      },
    }),
};
const instrumentations = settings.instrumentations.map((name) => available[name]());

// The tiers are ES modules, and an ES module import of express is only seen through a loader hook.
// Node's in-thread hooks (module.registerHooks) cost far less memory than a loader thread, and only
// the modules the instrumentations patch are intercepted.
const patched = instrumentations.flatMap((i) => i.getModuleDefinitions().map((d) => d.name));
if (patched.length === 0) {
  // DOJO_INSTRUMENTATIONS= (none): no module to intercept.
} else if (supportsSyncHooks()) {
  registerSyncHooks({ include: patched });
} else {
  registerLoaderThread('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
}

function sampler({ name, ratio }: TracingSettings['sampler']): Sampler {
  const root = name.endsWith('always_off')
    ? new AlwaysOffSampler()
    : name.endsWith('traceidratio')
      ? new TraceIdRatioBasedSampler(ratio)
      : new AlwaysOnSampler();
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

// Only the exporter in use is loaded (tests read spans as JSON; the lab sends protobuf).
const { OTLPTraceExporter } =
  settings.protocol === 'http/json'
    ? await import('@opentelemetry/exporter-trace-otlp-http')
    : await import('@opentelemetry/exporter-trace-otlp-proto');
const exporter = new OTLPTraceExporter();
const provider = new TracerProvider({
  // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME (envDetector) win over the lab's defaults.
  resource: defaultResource()
    .merge(
      resourceFromAttributes({
        'service.version': release?.version ?? sampleAppVersion,
        ...(release
          ? { 'vcs.ref.head.revision': release.revision, 'vcs.repository.url.full': release.repository }
          : {}),
        'deployment.environment': process.env.DOJO_ENVIRONMENT ?? 'lab',
        'app.scenario': scenario,
      }),
    )
    .merge(detectResources({ detectors: [hostDetector, processDetector, envDetector] })),
  sampler: sampler(settings.sampler),
  spanProcessors: [new BatchSpanProcessor({ exporter, ...settings.batch })],
});

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(
  service === 'web' && !webPropagation
    ? new ExtractOnlyPropagator(standardPropagator())
    : standardPropagator(),
);
trace.setGlobalTracerProvider(provider);
registerInstrumentations({ instrumentations, tracerProvider: provider });

(globalThis as Record<symbol, unknown>)[shutdownHook] = () => provider.shutdown();
