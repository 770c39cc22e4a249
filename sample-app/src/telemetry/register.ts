// Telemetry bootstrap, preloaded with `node --import …/register.ts <tier>/main.ts`: the OpenTelemetry
// Node SDK with the http, express and pg instrumentations, exporting OTLP/HTTP to
// OTEL_EXPORTER_OTLP_ENDPOINT. Configured through the standard OTEL_* variables; OTEL_SDK_DISABLED=true
// leaves the tier uninstrumented (lab 1's starting point, the overhead benchmark's baseline).

import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { findScenario, portsFor } from '@dojo/labs';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { shutdownHook } from './lifecycle.ts';
import { ExtractOnlyPropagator, standardPropagator } from './propagation.ts';

// Stable HTTP attribute names (http.request.method, http.route, url.full, http.response.status_code).
process.env.OTEL_SEMCONV_STABILITY_OPT_IN ??= 'http';

const disabled = process.env.OTEL_SDK_DISABLED === 'true';
const service = process.env.OTEL_SERVICE_NAME ?? 'unknown_service';
const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }
).version;

if (!disabled) {
  // ESM modules (express, pg) can only be patched through import-in-the-middle's loader hook.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

  const scenario = process.env.DOJO_SCENARIO || 'healthy';
  let webPropagation = true;
  try {
    webPropagation = findScenario(scenario).faults.webPropagation;
  } catch {
    // An unknown scenario is reported by the tier itself, as one line; telemetry stays standard.
  }
  const portOf = (url: string | undefined, fallback: number) => (url ? new URL(url).port : String(fallback));
  const peerPorts = {
    payments: portOf(process.env.PAYMENTS_URL, portsFor().payments),
    api: portOf(process.env.API_URL, portsFor().api),
  };
  const propagator =
    service === 'web' && !webPropagation
      ? new ExtractOnlyPropagator(standardPropagator())
      : standardPropagator();

  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      'service.version': version ?? '0.0.0',
      'deployment.environment': process.env.DOJO_ENVIRONMENT ?? 'lab',
      'app.scenario': scenario,
    }),
    textMapPropagator: propagator,
    instrumentations: [
      new HttpInstrumentation({
        // Health probes are noise in a learner's trace list.
        ignoreIncomingRequestHook: (req) => req.url === '/healthz',
        // Name the peer of outbound calls so TraceQL can single out the vendor (span.peer.service).
        startOutgoingSpanHook: (options) => {
          const port = String(options.port ?? '');
          return port && port === peerPorts.payments
            ? { 'peer.service': 'payments' }
            : port && port === peerPorts.api
              ? { 'peer.service': 'api' }
              : {};
        },
      }),
      // Route handlers, not every middleware: a learner reads the request flow, and each span costs CPU.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
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
    ],
  });
  sdk.start();
  (globalThis as Record<symbol, unknown>)[shutdownHook] = () => sdk.shutdown();
}
