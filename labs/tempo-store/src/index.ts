// What other workspaces may use from the store: start it, and the OTLP protobuf codec for clients.
export { decodeTraceResponse, encodeTraceRequest } from './otlp-proto.ts';
export { parseServeArgs, type ServeConfig, serve, serveUsage, startFailure } from './serve.ts';
export { defaultMaxRequestBytes, type RunningStore, type StoreOptions, startStore } from './server.ts';
export { defaultLimits, type RetentionLimits, TraceStore } from './store.ts';
