#!/usr/bin/env node
// Launcher for the `dojo` CLI: checks the Node version first so an old Node gets one clear line.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `dojo: Node ${process.versions.node} is too old; Tracing Dojo needs Node 24 (see .nvmrc) — run it through \`make\`, which provides one\n`,
  );
  process.exit(2);
}
const { run } = await import('../src/cli.ts');
await run(process.argv.slice(2));
