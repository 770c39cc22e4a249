// OTLP's protobuf messages for the receivers: the official opentelemetry-proto schema (shipped as .proto
// files by @elastic/mockotlpserver), compiled at start-up by protobufjs. No hand-written wire code.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const protoDir = dirname(require.resolve('@elastic/mockotlpserver/package.json'));

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(protoDir, target);
root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
// google.rpc.Status is what OTLP/HTTP sends back on failure; its three fields are the whole schema.
root.add(
  protobuf.Type.fromJSON('Status', {
    fields: {
      code: { type: 'int32', id: 1 },
      message: { type: 'string', id: 2 },
      details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
    },
  }),
);
root.define('google.protobuf').add(
  protobuf.Type.fromJSON('Any', {
    fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } },
  }),
);
root.resolveAll();

const requestType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const responseType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
const statusType = root.lookupType('Status');

// protobufjs puts each field's proto3 default on the message prototype ('' for every AnyValue member, an
// empty array for absent ids). A converter asking "is stringValue set?" would then see every attribute as
// an empty string. Absent must read as absent, so the defaults become undefined (decoding never reads them).
for (const type of nestedTypes(root)) {
  for (const field of type.fieldsArray) {
    if (!field.repeated && !field.map)
      (type.ctor.prototype as Record<string, unknown>)[field.name] = undefined;
  }
}

function nestedTypes(ns: protobuf.NamespaceBase): protobuf.Type[] {
  const out: protobuf.Type[] = [];
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested);
    // a Type is also a Namespace: message types nest inside message types
    if (nested instanceof protobuf.Namespace) out.push(...nestedTypes(nested));
  }
  return out;
}

/** Decodes an ExportTraceServiceRequest; throws (protobufjs's message) when the bytes are not one. */
export function decodeTraceRequest(bytes: Uint8Array): unknown {
  return requestType.decode(bytes);
}

/** Encodes a request: for tests, benchmarks and clients of the store. */
export function encodeTraceRequest(request: object): Uint8Array {
  return requestType.encode(requestType.fromObject(request)).finish();
}

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

export function encodeTraceResponse(partial?: PartialSuccess): Uint8Array {
  return responseType.encode(responseType.fromObject(partial ? { partialSuccess: partial } : {})).finish();
}

export function decodeTraceResponse(bytes: Uint8Array): { partialSuccess?: PartialSuccess } {
  return responseType.toObject(responseType.decode(bytes), { longs: Number }) as {
    partialSuccess?: PartialSuccess;
  };
}

export function encodeStatus(code: number, message: string): Uint8Array {
  return statusType.encode(statusType.fromObject({ code, message })).finish();
}

export function decodeStatus(bytes: Uint8Array): { code?: number; message?: string } {
  return statusType.toObject(statusType.decode(bytes)) as { code?: number; message?: string };
}

/** The gRPC method path of OTLP's trace export. */
export const traceExportPath = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
