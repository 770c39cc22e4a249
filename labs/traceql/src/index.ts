// What other workspaces may use from the TraceQL engine.
export * from './model.ts';
export * from './otlp.ts';
