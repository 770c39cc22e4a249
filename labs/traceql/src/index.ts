// What other workspaces may use from the TraceQL engine.
export * from './ast.ts';
export { describeError, type TraceQLError, type TraceQLErrorKind } from './errors.ts';
export { type FetchPlan, planFetch } from './fetch-plan.ts';
export * from './metrics.ts';
export * from './model.ts';
export * from './otlp.ts';
export * from './search.ts';
export { indexTrace } from './trace-index.ts';
export { goDurationString, toAnyValue } from './values.ts';
