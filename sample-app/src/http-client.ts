// JSON over node:http (which the http instrumentation traces, unlike fetch), with a timeout and, when
// asked, re-sends of idempotent requests whose connection was reset (each re-send is a CLIENT span of its
// own, numbered by http.request.resend_count). Through the module object: the http instrumentation
// patches it, not an ESM named binding.
import http from 'node:http';
import { resendCountOption } from './telemetry/resend-count.ts';

export interface HttpResult<T> {
  status: number;
  body: T;
}

export class HttpError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}

export interface HttpOptions {
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** re-sends after a connection reset; only GET is re-sent, since a POST may have been half-done */
  retries?: number;
}

const resetCodes = new Set(['ECONNRESET', 'EPIPE']);

export async function httpJson<T>(
  method: 'GET' | 'POST',
  url: string,
  options: HttpOptions = {},
): Promise<HttpResult<T>> {
  const retries = method === 'GET' ? (options.retries ?? 0) : 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await sendOnce<T>(method, url, options, attempt);
    } catch (e) {
      if (attempt >= retries || !resetCodes.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
      // A short pause: a reset often comes from a path that needs a moment (a new connection) to recover.
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
}

function sendOnce<T>(
  method: 'GET' | 'POST',
  url: string,
  options: HttpOptions,
  attempt: number,
): Promise<HttpResult<T>> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        ...(attempt > 0 ? { [resendCountOption]: attempt } : {}),
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          accept: 'application/json',
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...options.headers,
        },
      },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          raw += chunk;
        });
        res.on('end', () => {
          let body: unknown = raw;
          if ((res.headers['content-type'] ?? '').includes('json') && raw) {
            try {
              body = JSON.parse(raw);
            } catch {
              return reject(new HttpError(`invalid JSON from ${method} ${url}`, res.statusCode ?? 0));
            }
          }
          resolve({ status: res.statusCode ?? 0, body: body as T });
        });
      },
    );
    req.on('timeout', () => req.destroy(new HttpError(`${method} ${url} timed out`, 504)));
    req.on('error', reject);
    req.end(payload);
  });
}
