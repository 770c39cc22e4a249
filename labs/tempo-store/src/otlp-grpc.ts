// OTLP/gRPC receiver (port 4317): the TraceService/Export method on @grpc/grpc-js, bodies decoded with
// the same protobufjs schema as OTLP/HTTP; gzip message compression is grpc-js's own.
import * as grpc from '@grpc/grpc-js';
import { grpcCode, ingest, type ReceiverContext, tenantFor } from './ingest.ts';
import { decodeTraceRequest, encodeTraceResponse, traceExportPath } from './otlp-proto.ts';
import { orgIdHeader } from './tenant.ts';

const identity = (b: Buffer): Buffer => b;

// Bytes in, bytes out: decoding happens in the handler, so a malformed message is INVALID_ARGUMENT with
// a reason rather than grpc-js's generic deserialization failure.
const traceService: grpc.ServiceDefinition = {
  Export: {
    path: traceExportPath,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

function fail(
  ctx: ReceiverContext,
  callback: grpc.sendUnaryData<Buffer>,
  code: number,
  details: string,
): void {
  ctx.metrics.requestRefused('otlp_grpc', grpc.status[code] ?? code);
  callback({ code, details } as grpc.ServiceError, null);
}

function exportHandler(ctx: ReceiverContext): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    const tenant = tenantFor(ctx, call.metadata.get(orgIdHeader).map(String));
    if (!('tenant' in tenant)) return fail(ctx, callback, tenant.code, tenant.message);
    let request: unknown;
    try {
      request = decodeTraceRequest(call.request);
    } catch (e) {
      const why = `the message is not a valid protobuf ExportTraceServiceRequest: ${(e as Error).message}`;
      return fail(ctx, callback, grpcCode.invalidArgument, why);
    }
    let outcome: ReturnType<typeof ingest>;
    try {
      outcome = ingest(ctx, tenant.tenant, request, call.request.length);
    } catch (e) {
      return fail(ctx, callback, grpcCode.internal, `internal error: ${(e as Error).message}`);
    }
    if (!outcome.ok) return fail(ctx, callback, outcome.code, outcome.message);
    const partial =
      outcome.refused > 0
        ? { rejectedSpans: outcome.refused, errorMessage: outcome.refusal ?? '' }
        : undefined;
    callback(null, Buffer.from(encodeTraceResponse(partial)));
  };
}

/** Starts the gRPC server on host:port (0 picks a free port) and gives the port it got. */
export async function startOtlpGrpc(
  ctx: ReceiverContext,
  host: string,
  port: number,
): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': ctx.maxRequestBytes,
  });
  server.addService(traceService, { Export: exportHandler(ctx) });
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  return { server, port: bound };
}
