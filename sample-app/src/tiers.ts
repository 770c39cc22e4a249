// Which tiers run the OpenTelemetry SDK, and the environment a tier needs to run, for the local
// supervisor and the kind manifests alike.
// payments is an external vendor (api's CLIENT span names it), and loadgen stands for shoppers' browsers,
// which send no traceparent: so every trace starts, as in a real shop, at web's SERVER span.
export const tracedTiers: readonly string[] = ['web', 'api'];

export const isTraced = (tier: string): boolean => tracedTiers.includes(tier);

/** Where a tier finds the others: base URLs (scheme, host, port) as seen from where the tier runs. */
export interface TierNetwork {
  api: string;
  /** the lab-controlled link web reaches api through (netproxy) */
  apiLink: string;
  payments: string;
  web: string;
  /** the practical's shipping service, only when the practical runs */
  shipping?: string;
  databaseUrl: string;
  otlpEndpoint: string;
}

/**
 * The variables every tier reads (sample-app/src/settings.ts, telemetry/tracing-env.ts), except the
 * scenario, which each mode delivers its own way (a value locally, a ConfigMap key on kind).
 */
export function tierEnv(tier: string, network: TierNetwork, port?: number): Record<string, string> {
  return {
    API_URL: tier === 'web' ? network.apiLink : network.api,
    PAYMENTS_URL: network.payments,
    WEB_URL: network.web,
    DATABASE_URL: network.databaseUrl,
    ...(network.shipping && tier === 'api' ? { SHIPPING_URL: network.shipping } : {}),
    OTEL_SERVICE_NAME: tier,
    OTEL_EXPORTER_OTLP_ENDPOINT: network.otlpEndpoint,
    // The SDK's default 5 s batch delay would dominate how soon a learner sees a trace.
    OTEL_BSP_SCHEDULE_DELAY: '500',
    ...(port ? { PORT: String(port) } : {}),
  };
}
