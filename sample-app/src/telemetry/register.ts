// Preloaded by every instrumented tier: `node --import …/telemetry/register.ts <tier>/main.ts`.
// OTEL_SDK_DISABLED=true leaves the tier uninstrumented, and then nothing of OpenTelemetry's SDK is even
// loaded: that is the honest baseline for the overhead benchmark and lab 1's "before" picture.
if (process.env.OTEL_SDK_DISABLED !== 'true') await import('./tracing.ts');
