// One child process of the local lab: started with its env, logged to a file, awaited until ready,
// restarted if it crashes, and stopped with SIGTERM then SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { connect } from 'node:net';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  /** resolves true once the process serves (TCP port open, HTTP /ready …) */
  ready: () => Promise<boolean>;
  port?: number;
  url?: string;
}

export function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function httpOk(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** True while a process with this pid runs (0, no process, is never alive). */
export function processAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits up to `timeoutMs` for the process to end; true once it has. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return !processAlive(pid);
}

/**
 * The line of a tier's stderr that says why it stopped: a one-line error of ours ("api: …") or the
 * message line of a Node.js crash ("Error: …"), not the stack or the "Node.js v24" trailer.
 */
export function lastReason(text: string): string | undefined {
  const lines = text.split('\n').filter((l) => /^([a-z][\w-]*|[\w.]*(Error|Exception)): \S/.test(l));
  return lines.at(-1)?.slice(0, 240);
}

export class ManagedProcess {
  readonly spec: ProcessSpec;
  child: ChildProcess | undefined;
  state: 'stopped' | 'starting' | 'ready' | 'crashed' = 'stopped';
  restarts = 0;
  private stopping = false;
  private log: WriteStream | undefined;
  private exitListeners: ((code: number | null) => void)[] = [];

  constructor(spec: ProcessSpec) {
    this.spec = spec;
  }

  /** Called when the process exits on its own (not by stop()). */
  onUnexpectedExit(listener: (code: number | null) => void): void {
    this.exitListeners.push(listener);
  }

  async start(timeoutMs: number): Promise<void> {
    this.stopping = false;
    this.state = 'starting';
    this.log ??= createWriteStream(this.spec.logFile, { flags: 'a' });
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    let reason = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      reason = lastReason(chunk.toString()) ?? reason;
    });
    let exited: number | null | undefined;
    child.once('exit', (code) => {
      exited = code;
      if (this.child === child) this.child = undefined;
      if (!this.stopping) {
        this.state = 'crashed';
        for (const l of this.exitListeners) l(code);
      }
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited !== undefined) {
        throw new Error(
          `${this.spec.name} exited with code ${exited} while starting${reason ? ` (${reason})` : ''}; see ${this.spec.logFile}`,
        );
      }
      if (await this.spec.ready()) {
        this.state = 'ready';
        return;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    await this.stop();
    throw new Error(
      `${this.spec.name} was not ready after ${Math.round(timeoutMs / 1000)} s; see ${this.spec.logFile}`,
    );
  }

  async stop(graceMs = 8000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    this.state = 'stopped';
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }

  closeLog(): void {
    this.log?.end();
    this.log = undefined;
  }
}
