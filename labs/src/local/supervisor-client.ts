// Talks to a running local-lab supervisor over its Unix socket.

import { request } from 'node:http';
import type { LabPaths } from '@dojo/course';
import type { LabStatus } from './lab-state.ts';

export async function callSupervisor<T>(
  paths: LabPaths,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = 5000,
): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: paths.socket, method, path, timeout: timeoutMs }, (res) => {
      let raw = '';
      res.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(raw) as T });
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('supervisor did not answer in time')));
    req.on('error', reject);
    if (body !== undefined) req.end(JSON.stringify(body));
    else req.end();
  });
}

/** The running lab's status, or undefined when no supervisor answers. */
export async function readStatus(paths: LabPaths): Promise<LabStatus | undefined> {
  try {
    const { body } = await callSupervisor<LabStatus>(paths, 'GET', '/status', undefined, 2000);
    return body;
  } catch {
    return undefined;
  }
}
