// Turns planned pipeline spans into real OpenTelemetry spans, exported over OTLP like the shop's: one
// TracerProvider per system (the CI server `jenkins`, the deploy controller `argocd`), each with its own
// resource, and the context passed from jenkins to argocd as a real propagation would.
import { type Context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { TracingSettings } from '../telemetry/tracing-env.ts';
import { ScriptedIds } from './ids.ts';
import type { PlannedSpan, PlannedTrace } from './plan.ts';

/** What the two systems report about themselves (the versions are what a learner would see in real life). */
export const systems = {
  jenkins: { 'service.version': '2.492.3', 'service.namespace': 'delivery' },
  argocd: { 'service.version': 'v3.0.6', 'service.namespace': 'delivery' },
} as const;

export class PipelineEmitter {
  private readonly ids = new ScriptedIds();
  private readonly providers: Record<keyof typeof systems, TracerProvider>;

  constructor(exporter: () => SpanExporter, batch: TracingSettings['batch'], environment: string) {
    const provider = (name: keyof typeof systems) =>
      new TracerProvider({
        // OTEL_RESOURCE_ATTRIBUTES still applies (a class's tenant label), but the service is the system's.
        resource: defaultResource()
          .merge(detectResources({ detectors: [envDetector] }))
          .merge(
            resourceFromAttributes({
              ...systems[name],
              'service.name': name,
              'deployment.environment': environment,
            }),
          ),
        sampler: new AlwaysOnSampler(),
        idGenerator: this.ids,
        spanProcessors: [new BatchSpanProcessor({ exporter: exporter(), ...batch })],
      });
    this.providers = { jenkins: provider('jenkins'), argocd: provider('argocd') };
  }

  /** Starts and ends every span of the plan now, with the plan's timestamps; returns the trace id. */
  emit(plan: PlannedTrace): string {
    let parent: Context = ROOT_CONTEXT;
    if (plan.traceId && plan.parentSpanId) {
      parent = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: plan.traceId,
        spanId: plan.parentSpanId,
        traceFlags: 1,
        isRemote: true,
      });
    } else if (plan.traceId) {
      this.ids.nextTraceId = plan.traceId;
    }
    return this.emitSpan(plan.root, parent);
  }

  private emitSpan(planned: PlannedSpan, parent: Context): string {
    const tracer = this.providers[planned.service].getTracer('tracing-dojo-pipeline');
    if (planned.spanId) this.ids.nextSpanId = planned.spanId;
    const span = tracer.startSpan(
      planned.name,
      {
        kind: planned.kind === 'server' ? SpanKind.SERVER : SpanKind.INTERNAL,
        startTime: planned.startMs,
        attributes: planned.attributes,
      },
      parent,
    );
    for (const e of planned.events ?? []) span.addEvent(e.name, e.attributes ?? {}, e.timeMs);
    if (planned.error) span.setStatus({ code: SpanStatusCode.ERROR, message: planned.error });
    const inside = trace.setSpan(parent, span);
    for (const child of planned.children) this.emitSpan(child, inside);
    span.end(planned.endMs);
    return span.spanContext().traceId;
  }

  async flush(): Promise<void> {
    await Promise.all(Object.values(this.providers).map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(Object.values(this.providers).map((p) => p.shutdown()));
  }
}
