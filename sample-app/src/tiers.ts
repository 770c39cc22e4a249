// Which tiers run the OpenTelemetry SDK, for the local supervisor and the kind manifests alike.
// payments is an external vendor (api's CLIENT span names it), and loadgen stands for shoppers' browsers,
// which send no traceparent: so every trace starts, as in a real shop, at web's SERVER span.
export const tracedTiers: readonly string[] = ['web', 'api'];

export const isTraced = (tier: string): boolean => tracedTiers.includes(tier);
