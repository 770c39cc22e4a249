// Entry of the detached supervisor process started by `dojo lab up` (local mode). It owns every child
// process of the lab and answers the CLI on a Unix socket: GET /status, POST /scenario, POST /stop.

import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { findScenario, labPaths } from '@dojo/course';
import type { LabOptions } from '../lab.ts';
import { ensureLabDirs } from './lab-state.ts';
import { Supervisor } from './supervisor.ts';

// `lab up` checked these (lab-options.ts) and hands them over unchanged.
const options = JSON.parse(process.env.DOJO_SUPERVISOR_OPTIONS ?? '{}') as LabOptions;
const env = { ...process.env };
delete env.DOJO_SUPERVISOR_OPTIONS;
const paths = labPaths(env);
ensureLabDirs(paths);
const lab = new Supervisor(options, env, paths);
const pidFile = join(paths.stateDir, 'supervisor.pid');

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  await lab.stop().catch((e: Error) => console.error(`stop failed: ${e.message}`));
  server.close();
  rmSync(paths.socket, { force: true });
  rmSync(pidFile, { force: true });
  process.exit(code);
}

const server = createServer((req, res) => {
  const route = `${req.method} ${req.url}`;
  if (route === 'GET /status') {
    send(res, 200, { ...lab.status, components: lab.componentStatuses() });
  } else if (route === 'POST /scenario') {
    readJson(req)
      .then(async (body) => {
        if (lab.status.phase !== 'running' && lab.status.phase !== 'failed') {
          return send(res, 409, { error: `the lab is ${lab.status.phase}; try again when it is running` });
        }
        // The one lookup of this switch: the CLI sends the id it checked.
        await lab.switchScenario(findScenario(String(body.id)), body.reset === true, body.mystery === true);
        send(res, 200, { ok: true, scenario: lab.status.scenario });
      })
      .catch((e: Error) => send(res, 500, { error: e.message }));
  } else if (route === 'POST /stop') {
    send(res, 200, { ok: true });
    void shutdown(0);
  } else {
    send(res, 404, { error: `no route ${route}` });
  }
});

rmSync(paths.socket, { force: true });
server.listen(paths.socket, () => {
  writeFileSync(pidFile, String(process.pid));
  lab.start().catch((e: Error) => {
    lab.status.phase = 'failed';
    lab.status.error = e.message;
    lab.progress(`✖ ${e.message}`);
    // Leave nothing half-started; the CLI reads the error from /status before the socket goes away.
    setTimeout(() => void shutdown(1), 1500);
  });
});

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
