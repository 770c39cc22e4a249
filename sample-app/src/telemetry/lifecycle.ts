// Lets a tier flush its spans on shutdown without importing (and so starting) the SDK itself:
// register.ts leaves its shutdown function under a global symbol when, and only when, it ran.
export const shutdownHook = Symbol.for('tracing-dojo.telemetry.shutdown');

export async function flushTelemetry(): Promise<void> {
  const hook = (globalThis as Record<symbol, unknown>)[shutdownHook] as (() => Promise<void>) | undefined;
  await hook?.().catch(() => {});
}
