#!/usr/bin/env node
// Launcher for the `dojo` CLI. Plain JavaScript that any Node can read: on a Node older than .nvmrc's it
// finds or fetches the right one (.ci/ensure-node.sh, as the Makefile does) and runs itself again under it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const wanted = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
const tooOld = Number(process.versions.node.split('.')[0]) < Number(wanted.split('.')[0]);

function fail(line) {
  process.stderr.write(`dojo: ${line}\n`);
  process.exit(2);
}

/** Runs a helper; progress lines ("› …") pass through, the rest is kept to explain a failure. */
function quietly(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
      for (const line of String(c).split('\n')) if (line.startsWith('›')) process.stderr.write(`${line}\n`);
    });
    child.on('error', (e) => resolve({ code: 127, out, err: `${command}: ${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, out, err }));
  });
}

const lastLine = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('›'))
    .at(-1) ?? 'no reason given';

/** Reruns this launcher under `node` with the exit code or signal passed back to the caller. */
function rerun(node) {
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, DOJO_NODE_CHOSEN: node },
  });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('error', (e) => fail(`could not run ${node}: ${e.message}`));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
}

if (tooOld) {
  if (process.env.DOJO_NODE_CHOSEN) {
    fail(
      `${process.env.DOJO_NODE_CHOSEN} is Node ${process.versions.node}; Tracing Dojo needs Node ${wanted} (see .nvmrc)`,
    );
  }
  const found = await quietly('bash', [join(root, '.ci/ensure-node.sh')], process.env);
  if (found.code !== 0) {
    fail(
      `Node ${process.versions.node} is too old and Node ${wanted} could not be fetched (${lastLine(found.err)}); install Node ${wanted} or run through \`make\``,
    );
  }
  // ensure-node.sh prints nothing when the `node` on PATH is already new enough.
  const bin = found.out.trim();
  rerun(bin ? join(bin, 'node') : 'node');
} else {
  // A fresh clone: install the workspaces' packages once, as `make deps` does.
  if (!existsSync(join(root, 'node_modules/yaml')) || !existsSync(join(root, 'node_modules/@dojo/graders'))) {
    process.stderr.write('› installing the project’s npm packages (npm ci, once)…\n');
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    const installed = await quietly('npm', ['ci', '--no-audit', '--no-fund'], env);
    if (installed.code !== 0)
      fail(`npm ci failed (${lastLine(installed.err)}); run \`make deps\` to see why`);
    writeFileSync(join(root, 'node_modules/.dojo-installed'), '');
  }
  const { run } = await import('../src/cli.ts');
  await run(process.argv.slice(2));
}
