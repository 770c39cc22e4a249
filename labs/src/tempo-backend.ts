// Which Tempo the local lab runs: the lab's own Tempo-compatible store (@dojo/tempo-store, the default,
// installed with the npm packages) or, when DOJO_TEMPO_BIN names one, a real Tempo single binary.
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '@dojo/course';

export type TempoBackend = { kind: 'store'; main: string } | { kind: 'binary'; path: string };

/** The store's child-process entry (it serves OTLP and Tempo's HTTP API on the lab's ports). */
export const storeMain = fileURLToPath(import.meta.resolve('@dojo/tempo-store/main'));

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Tempo to start; a DOJO_TEMPO_BIN that is not an executable is the user's to fix, before anything starts. */
export function chooseTempo(env: NodeJS.ProcessEnv = process.env): TempoBackend {
  const given = env.DOJO_TEMPO_BIN;
  if (given) {
    if (!isExecutable(given))
      throw new UserError(
        `DOJO_TEMPO_BIN=${given} is not an executable file; point it at a Tempo binary or unset it to use the lab's own store`,
      );
    return { kind: 'binary', path: given };
  }
  return { kind: 'store', main: storeMain };
}

/** How `dojo lab status`, lab start-up and test names call the Tempo in use. */
export function describeTempo(t: { kind: 'store' | 'binary' | 'external'; path?: string; version?: string }) {
  const v = t.version ? ` ${t.version}` : '';
  if (t.kind === 'store')
    return `the lab's Tempo-compatible store${t.version ? ` (Tempo ${t.version}'s API)` : ''}`;
  if (t.kind === 'binary') return `Tempo${v}, binary ${t.path} (DOJO_TEMPO_BIN)`;
  return `an external Tempo${v} (--external-tempo)`;
}
