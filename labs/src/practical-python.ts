// The Python environment of the practical's shipping service: a virtual environment per requirements
// file, created once in the per-user cache with the machine's python3 and PyPI, then reused. Also a
// script: `node labs/src/practical-python.ts <service dir>` prepares it and prints its python.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, type Progress, UserError } from '@dojo/course';

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.on('error', (e) => resolve({ code: -1, output: e.message }));
    child.on('exit', (code) => resolve({ code: code ?? -1, output }));
  });
}

const lastLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .at(-1) ?? '';

/** The machine's Python 3 (DOJO_PYTHON, else python3 on PATH) and its version, or a one-line reason. */
async function systemPython(env: NodeJS.ProcessEnv): Promise<{ python: string; version: string }> {
  const python = env.DOJO_PYTHON || 'python3';
  const probe = await run(python, ['-c', 'import sys, venv; print("%d.%d" % sys.version_info[:2])']);
  const version = probe.output.trim();
  if (probe.code !== 0 || !/^3\.\d+$/.test(version)) {
    throw new UserError(
      `the Python practical needs Python 3.9 or newer with venv (${python}: ${lastLine(probe.output) || 'not found'}); install python3 and python3-venv, or set DOJO_PYTHON`,
    );
  }
  if (Number(version.split('.')[1]) < 9)
    throw new UserError(
      `the Python practical needs Python 3.9 or newer; ${python} is ${version} (set DOJO_PYTHON)`,
    );
  return { python, version };
}

/**
 * The python to run the service in `dir` with: a virtual environment holding its requirements.txt
 * (created on first use, keyed by the file's content), or the machine's python3 when it has none.
 */
export async function pythonForService(
  dir: string,
  progress: Progress,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const { python, version } = await systemPython(env);
  const requirements = join(dir, 'requirements.txt');
  if (!existsSync(requirements)) return python;
  const content = readFileSync(requirements, 'utf8');
  const key = createHash('sha256').update(`${version}\n${content}`).digest('hex').slice(0, 16);
  const venv = join(cacheDir(env), 'python', key);
  const venvPython = join(venv, 'bin', 'python');
  if (existsSync(join(venv, '.complete'))) return venvPython;
  progress(`› installing the Python packages of ${requirements} into ${venv} (once)`);
  const building = `${venv}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(join(cacheDir(env), 'python'), { recursive: true });
  const created = await run(python, ['-m', 'venv', building]);
  if (created.code !== 0) {
    rmSync(building, { recursive: true, force: true });
    throw new UserError(
      `could not create a Python virtual environment: ${lastLine(created.output)} (install python3-venv)`,
    );
  }
  const pip = join(building, 'bin', 'pip');
  const installed = await run(pip, [
    'install',
    '--disable-pip-version-check',
    '--no-input',
    '--quiet',
    '-r',
    requirements,
  ]);
  if (installed.code !== 0) {
    rmSync(building, { recursive: true, force: true });
    throw new UserError(
      `pip could not install ${requirements}: ${lastLine(installed.output)}; check the file and your access to PyPI`,
    );
  }
  writeFileSync(join(building, '.complete'), `${new Date().toISOString()}\n`);
  // Another lab may have finished the same environment meanwhile: keep the first, drop ours.
  if (existsSync(join(venv, '.complete'))) rmSync(building, { recursive: true, force: true });
  else {
    rmSync(venv, { recursive: true, force: true });
    renameSync(building, venv);
  }
  progress('✔ Python packages installed');
  return venvPython;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node labs/src/practical-python.ts <folder with requirements.txt>\n');
    process.exit(2);
  }
  try {
    process.stdout.write(`${await pythonForService(dir, (l) => process.stderr.write(`${l}\n`))}\n`);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(e.exitCode);
  }
}
