// `npm run bench:store`: the lab's store measured with labs/tempo-store/bench/ingest.ts (ingest spans/s
// over OTLP/HTTP protobuf, by-id and search visibility, memory per span) — and, when DOJO_TEMPO_BIN names
// a real Tempo, the same figures for it beside them, on its own ports and data dir.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTempo } from '@dojo/labs/testing';
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
  // Started as the lab starts it (its rendered config, a fresh data dir), on free ports.
  const tempo = await startTempo();
  try {
    code ||= await run(['--tempo', tempo.tempoUrl, '--otlp', tempo.otlpHttpUrl]);
  } finally {
    await tempo.stop();
  }
} else {
  console.log(
    'real Tempo: not measured (set DOJO_TEMPO_BIN to a Tempo 3.0.3 binary to see its figures beside these)',
  );
}
process.exit(code);
