// Preloaded before main.ts (`node --import ./tracing.ts main.ts`): the place to start OpenTelemetry, so
// the instrumentations can patch node:http before the service loads it. Empty as shipped — writing it
// is the practical's first step (site: Assessment → Practical).
export {};
