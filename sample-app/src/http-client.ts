// JSON over node:http (which the http instrumentation traces, unlike fetch), with a timeout.
// Through the module object: the http instrumentation patches it, not an ESM named binding.
import http from 'node:http';

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

export function httpJson<T>(
  method: 'GET' | 'POST',
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpResult<T>> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
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
