// OTLP/HTTP receiver (port 4318): POST /v1/traces as protobuf or JSON, optionally compressed, answered
// as the OpenTelemetry Collector's receiver inside Tempo answers (status bodies in the request's encoding).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { grpcCode, type IngestOutcome, ingest, type ReceiverContext, tenantFor } from './ingest.ts';
import { decodeTraceRequest, encodeStatus, encodeTraceResponse } from './otlp-proto.ts';
import { orgIdHeader } from './tenant.ts';

type Encoding = 'protobuf' | 'json';

const contentTypes: Record<string, Encoding> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};
const replyTypes: Record<Encoding, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

type Inflate = (buf: Buffer, opts: zlib.ZlibOptions) => Promise<Buffer>;
const inflaters: Record<string, Inflate> = {
  gzip: promisify(zlib.gunzip) as Inflate,
  'x-gzip': promisify(zlib.gunzip) as Inflate,
  deflate: promisify(zlib.inflate) as Inflate,
  zlib: promisify(zlib.inflate) as Inflate,
};
if ('zstdDecompress' in zlib) inflaters.zstd = promisify(zlib.zstdDecompress) as unknown as Inflate;

// A body over the limit is still read (and thrown away) up to this many times the limit, so the client
// gets its 413 instead of a reset connection; past it the connection is cut.
const drainFactor = 8;

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function statusReply(
  res: ServerResponse,
  enc: Encoding,
  status: number,
  code: number,
  message: string,
): void {
  const body =
    enc === 'protobuf'
      ? Buffer.from(encodeStatus(code, message))
      : Buffer.from(JSON.stringify({ code, message }));
  res.writeHead(status, { 'content-type': replyTypes[enc], 'content-length': body.length });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * drainFactor) req.destroy();
    });
    req.on('end', () => resolve(size > limit ? 'too large' : Buffer.concat(chunks, size)));
    req.on('error', () => resolve('aborted'));
    req.on('close', () => resolve(size > limit ? 'too large' : 'aborted'));
  });
}

export function otlpHttpHandler(ctx: ReceiverContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    receive(ctx, req, res).catch((e: Error) => {
      ctx.metrics.requestRefused('otlp_http', 500);
      if (!res.headersSent) plain(res, 500, `internal error: ${e.message}\n`);
      else res.destroy();
    });
  };
}

async function receive(ctx: ReceiverContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/v1/traces') {
    req.resume();
    return plain(res, 404, `404 page not found: this store takes traces only, at POST /v1/traces\n`);
  }
  const refuse = (enc: Encoding, status: number, code: number, message: string) => {
    ctx.metrics.requestRefused('otlp_http', status);
    statusReply(res, enc, status, code, message);
  };
  if (req.method !== 'POST') {
    req.resume();
    ctx.metrics.requestRefused('otlp_http', 405);
    return plain(res, 405, '405 method not allowed, supported: [POST]');
  }
  const mime = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const enc = contentTypes[mime];
  if (!enc) {
    req.resume();
    ctx.metrics.requestRefused('otlp_http', 415);
    const got = mime ? `"${mime}"` : 'no Content-Type';
    return plain(
      res,
      415,
      `415 unsupported media type, supported: [application/json, application/x-protobuf] (got ${got})`,
    );
  }
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  const inflate = encoding === '' || encoding === 'identity' ? undefined : inflaters[encoding];
  if (encoding !== '' && encoding !== 'identity' && !inflate) {
    req.resume();
    const supported = Object.keys(inflaters).join(', ');
    return refuse(
      enc,
      400,
      grpcCode.invalidArgument,
      `unsupported Content-Encoding "${encoding}": send ${supported} or none`,
    );
  }
  const tenant = tenantFor(ctx, req.headers[orgIdHeader]);
  if (!('tenant' in tenant)) {
    req.resume();
    return refuse(enc, tenant.status, tenant.code, tenant.message);
  }
  const limit = ctx.maxRequestBytes;
  const tooLarge = `request body larger than ${limit} bytes: send smaller batches (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)`;
  const wire = await readBody(req, limit);
  if (wire === 'aborted') return;
  if (wire === 'too large') return refuse(enc, 413, grpcCode.invalidArgument, tooLarge);
  let body = wire;
  if (inflate) {
    try {
      body = await inflate(wire, { maxOutputLength: limit });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return refuse(enc, 413, grpcCode.invalidArgument, `decompressed ${tooLarge}`);
      }
      return refuse(
        enc,
        400,
        grpcCode.invalidArgument,
        `the ${encoding} body could not be decompressed: ${(e as Error).message}`,
      );
    }
  }
  let request: unknown;
  try {
    request = enc === 'protobuf' ? decodeTraceRequest(body) : JSON.parse(body.toString('utf8'));
  } catch (e) {
    const what = enc === 'protobuf' ? 'protobuf ExportTraceServiceRequest' : 'JSON';
    return refuse(
      enc,
      400,
      grpcCode.invalidArgument,
      `the body is not valid ${what}: ${(e as Error).message}`,
    );
  }
  reply(ctx, res, enc, ingest(ctx, tenant.tenant, request, wire.length));
}

function reply(ctx: ReceiverContext, res: ServerResponse, enc: Encoding, outcome: IngestOutcome): void {
  if (!outcome.ok) {
    ctx.metrics.requestRefused('otlp_http', outcome.status);
    statusReply(res, enc, outcome.status, outcome.code, outcome.message);
    return;
  }
  const partial =
    outcome.refused > 0 ? { rejectedSpans: outcome.refused, errorMessage: outcome.refusal ?? '' } : undefined;
  const body =
    enc === 'protobuf'
      ? Buffer.from(encodeTraceResponse(partial))
      : Buffer.from(
          JSON.stringify(
            partial ? { partialSuccess: { ...partial, rejectedSpans: String(partial.rejectedSpans) } } : {},
          ),
        );
  res.writeHead(200, { 'content-type': replyTypes[enc], 'content-length': body.length });
  res.end(body);
}
