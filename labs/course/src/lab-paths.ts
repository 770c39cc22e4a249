// Where a local lab keeps its state (pid, socket, logs): .dojo/ in the checkout unless DOJO_STATE_DIR says
// otherwise. The lab writes there and the graders read the tiers' logs from there, so it is said once here.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this course runs from. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

export interface LabPaths {
  stateDir: string;
  logsDir: string;
  socket: string;
}

export function labPaths(env: NodeJS.ProcessEnv = process.env): LabPaths {
  const stateDir = env.DOJO_STATE_DIR || join(repoRoot, '.dojo');
  // Unix socket paths are limited to ~107 bytes; a deep checkout falls back to a hashed name in tmp.
  const preferred = join(stateDir, 'supervisor.sock');
  const socket =
    preferred.length < 100
      ? preferred
      : join(tmpdir(), `dojo-${createHash('sha1').update(stateDir).digest('hex').slice(0, 12)}.sock`);
  return { stateDir, logsDir: join(stateDir, 'logs'), socket };
}
