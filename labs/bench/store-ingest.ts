// `npm run bench:store`: the lab's store measured with labs/tempo-store/bench/ingest.ts (ingest spans/s
// over OTLP/HTTP protobuf, by-id and search visibility, memory per span) — and, when DOJO_TEMPO_BIN names
// a real Tempo, the same figures for it beside them, on its own ports and data dir.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { portsFor } from '@dojo/course';
import { ManagedProcess } from '../src/local/managed-process.ts';
import { tempoProcessSpec } from '../src/local/tempo-process.ts';
import { chooseTempo } from '../src/tempo-backend.ts';

const ingest = fileURLToPath(new URL('../tempo-store/bench/ingest.ts', import.meta.url));
const extra = process.argv.slice(2);

function run(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ingest, ...args, ...extra], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

console.log("— the lab's store —");
let code = await run([]);

const backend = chooseTempo();
if (backend.kind === 'binary') {
  console.log(`— real Tempo (${backend.path}) —`);
  const ports = portsFor({ DOJO_PORT_OFFSET: '1200' });
  const dataRoot = mkdtempSync(join(tmpdir(), 'dojo-bench-tempo-'));
  const url = `http://127.0.0.1:${ports.tempoHttp}`;
  const tempo = new ManagedProcess(
    tempoProcessSpec(backend, { ports, dataRoot, logsDir: dataRoot, url, env: process.env }),
  );
  try {
    await tempo.start(60_000);
    code ||= await run(['--tempo', url, '--otlp', `http://127.0.0.1:${ports.otlpHttp}`]);
  } finally {
    await tempo.stop();
    tempo.closeLog();
    rmSync(dataRoot, { recursive: true, force: true });
  }
} else {
  console.log(
    'real Tempo: not measured (set DOJO_TEMPO_BIN to a Tempo 3.0.3 binary to see its figures beside these)',
  );
}
process.exit(code);
