// Starts the whole store: Tempo's HTTP API, OTLP/HTTP and OTLP/gRPC over one TraceStore, and stops it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as grpc from '@grpc/grpc-js';
import { apiHandler } from './api.ts';
import type { ReceiverContext } from './ingest.ts';
import { StoreMetrics } from './metrics.ts';
import { startOtlpGrpc } from './otlp-grpc.ts';
import { otlpHttpHandler } from './otlp-http.ts';
import { type RetentionLimits, TraceStore } from './store.ts';

export interface StoreOptions {
  /** Address to listen on; 127.0.0.1 by default (0.0.0.0 to take spans from containers or other hosts). */
  host?: string;
  /** Tempo HTTP API, OTLP/HTTP and OTLP/gRPC ports; 0 picks a free one (tests). */
  httpPort: number;
  otlpHttpPort: number;
  otlpGrpcPort: number;
  /** Require X-Scope-OrgID on every push and query, as Tempo's multitenancy_enabled does. */
  multitenancy?: boolean;
  limits?: Partial<RetentionLimits>;
  /** Largest OTLP request body, compressed or not (the Collector's default: 20 MiB). */
  maxRequestBytes?: number;
}

export interface RunningStore {
  readonly store: TraceStore;
  readonly metrics: StoreMetrics;
  readonly ports: { http: number; otlpHttp: number; otlpGrpc: number };
  /** http://host:port of the Tempo API and of OTLP/HTTP; host:port of OTLP/gRPC. */
  readonly urls: { tempo: string; otlpHttp: string; otlpGrpc: string };
  close(): Promise<void>;
}

export const defaultMaxRequestBytes = 20 * 1024 * 1024;

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startStore(options: StoreOptions): Promise<RunningStore> {
  const host = options.host ?? '127.0.0.1';
  let store: TraceStore | undefined;
  const metrics = new StoreMetrics(() => store);
  store = new TraceStore(options.limits, metrics);
  const ctx: ReceiverContext = {
    store,
    metrics,
    multitenancy: options.multitenancy ?? false,
    maxRequestBytes: options.maxRequestBytes ?? defaultMaxRequestBytes,
  };
  const api = createServer(apiHandler(ctx));
  const otlp = createServer(otlpHttpHandler(ctx));
  let grpcServer: grpc.Server | undefined;
  const started: Server[] = [];
  try {
    const http = await listen(api, host, options.httpPort);
    started.push(api);
    const otlpHttp = await listen(otlp, host, options.otlpHttpPort);
    started.push(otlp);
    const grpcStarted = await startOtlpGrpc(
      ctx,
      host.includes(':') ? `[${host}]` : host,
      options.otlpGrpcPort,
    );
    grpcServer = grpcStarted.server;
    const sweep = setInterval(() => store.evict(), Math.min(5_000, Math.max(100, store.limits.maxAgeMs / 4)));
    sweep.unref();
    const urlHost =
      host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    return {
      store,
      metrics,
      ports: { http, otlpHttp, otlpGrpc: grpcStarted.port },
      urls: {
        tempo: `http://${urlHost}:${http}`,
        otlpHttp: `http://${urlHost}:${otlpHttp}`,
        otlpGrpc: `${urlHost}:${grpcStarted.port}`,
      },
      async close() {
        clearInterval(sweep);
        grpcServer?.forceShutdown();
        await Promise.all([closeHttp(api), closeHttp(otlp)]);
      },
    };
  } catch (e) {
    grpcServer?.forceShutdown();
    await Promise.all(started.map(closeHttp));
    throw e;
  }
}
