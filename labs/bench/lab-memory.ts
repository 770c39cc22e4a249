// Benchmark: resident memory of the whole local lab (supervisor, PostgreSQL, tiers and its Tempo: the
// lab's store, or a real Tempo with DOJO_TEMPO_BIN), at rest and under the default load. PSS is summed over the supervisor's process
// tree, so memory PostgreSQL's processes share is counted once. Goal: ≤ 1.5 GB.
// Run: npm run bench:memory
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { portsFor } from '@dojo/course';
import { isolatedLab, runDojo, tempoUnderTest } from '@dojo/labs/testing';
import { nextStep } from '@dojo/sample-app';

function children(): Map<number, number[]> {
  const tree = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      tree.set(ppid, [...(tree.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  return tree;
}

function pssMb(root: number): { mb: number; processes: number } {
  const tree = children();
  const all: number[] = [];
  const walk = (pid: number) => {
    all.push(pid);
    for (const c of tree.get(pid) ?? []) walk(c);
  };
  walk(root);
  let kb = 0;
  for (const pid of all) {
    const file = `/proc/${pid}/smaps_rollup`;
    if (!existsSync(file)) continue;
    try {
      kb += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(file, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return { mb: kb / 1024, processes: all.length };
}

const lab = await isolatedLab();
try {
  const up = await runDojo(['lab', 'up', '--no-load'], lab.env);
  if (up.code !== 0) throw new Error(up.stderr);
  const status = JSON.parse((await runDojo(['lab', 'status', '--json'], lab.env)).stdout) as { pid: number };
  process.stdout.write(`Local lab memory (with ${tempoUnderTest()}), PSS of the supervisor's process tree\n`);
  await new Promise((r) => setTimeout(r, 10_000));
  const rest = pssMb(status.pid);
  process.stdout.write(
    `  at rest (10 s after start, no load):   ${rest.mb.toFixed(0)} MB in ${rest.processes} processes\n`,
  );
  // The default load: loadgen's journey mix at 2 requests per second, for 30 s.
  const web = `http://127.0.0.1:${portsFor(lab.env).web}`;
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const step = nextStep();
    void fetch(`${web}${step.path}`, {
      method: step.method,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-customer-id': String(step.customerId),
      },
      ...(step.form ? { body: new URLSearchParams(step.form).toString() } : {}),
    }).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    );
    await new Promise((r) => setTimeout(r, 500));
  }
  const loaded = pssMb(status.pid);
  process.stdout.write(
    `  under default load (2 req/s for 30 s): ${loaded.mb.toFixed(0)} MB in ${loaded.processes} processes\n`,
  );
  process.stdout.write(
    `  goal ≤ 1536 MB: ${Math.max(loaded.mb, rest.mb) <= 1536 ? 'met' : 'missed'}\n  reproduce: npm run bench:memory\n`,
  );
} finally {
  await lab.cleanup();
}
