// Node.js flags every tier runs with, in the local lab, on kind and in the overhead benchmark.
// Tracing allocates many short-lived objects; V8 then grows its young generation, which cost the
// instrumented api about 30 MB of peak RSS for no measurable CPU saving. Capped at 8 MB per semi-space,
// the SDK's added peak RSS fell from about 70 MB to about 40 MB (docs/performance.md).
export const tierNodeFlags: readonly string[] = ['--max-semi-space-size=8'];
