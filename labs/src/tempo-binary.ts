// Finds the Tempo single binary for the local mode, building it once from its Go module if needed.
// Order: DOJO_TEMPO_BIN, the per-user cache (by version), then `go mod download` + `go build`.
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir, versions } from './lab-config.ts';
import { type Progress, UserError } from './user-error.ts';

const run = promisify(execFile);

export function cachedTempoPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'tempo', versions.tempo.version, 'tempo');
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binary to run, without building anything; undefined when none is at hand. */
export function findTempoBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env.DOJO_TEMPO_BIN;
  if (given) {
    if (!isExecutable(given)) throw new UserError(`DOJO_TEMPO_BIN=${given} is not an executable file`);
    return given;
  }
  const cached = cachedTempoPath(env);
  return isExecutable(cached) ? cached : undefined;
}

function goVersionAtLeast(have: string, want: string): boolean {
  const a = have.split('.').map(Number);
  const b = want.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

interface ModuleDownload {
  Dir?: string;
  Error?: string;
}

/** Downloads Tempo's module at the pinned commit; returns its directory in the module cache. */
async function downloadTempoModule(env: NodeJS.ProcessEnv): Promise<string> {
  const { goModule, commit, version } = versions.tempo;
  const scratch = await mkdtemp(join(tmpdir(), 'dojo-tempo-mod-'));
  try {
    // Outside any module, so Tempo's own go.mod (with its replace lines) is what `go build` uses later.
    const result = await run('go', ['mod', 'download', '-json', `${goModule}@${commit}`], {
      cwd: scratch,
      env: { ...env, GOFLAGS: '-mod=mod' },
      maxBuffer: 10 * 1024 * 1024,
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    let info: ModuleDownload = {};
    try {
      info = JSON.parse(result.stdout) as ModuleDownload;
    } catch {
      throw new UserError(`cannot download Tempo ${version}: \`go mod download\` gave no answer`);
    }
    if (info.Error || !info.Dir) {
      const detail = (info.Error ?? 'no module directory').replace(/\s+/g, ' ');
      const status = /\b(\d{3} [A-Z][A-Za-z ]+?)(?: server response: (.*))?$/.exec(detail);
      const reason = status ? [status[1], status[2]].filter(Boolean).join(': ') : detail;
      throw new UserError(
        `cannot get Tempo ${version} from the Go module proxy (${reason}); set DOJO_TEMPO_BIN to a Tempo ${version} binary`,
      );
    }
    return info.Dir;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function goBuild(moduleDir: string, output: string, env: NodeJS.ProcessEnv, progress: Progress) {
  const started = Date.now();
  const heartbeat = setInterval(() => {
    progress(`  still building Tempo… ${Math.round((Date.now() - started) / 1000)} s`);
  }, 20_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        'go',
        [
          'build',
          '-trimpath',
          '-ldflags',
          `-X main.Version=${versions.tempo.version}`,
          '-o',
          output,
          './cmd/tempo',
        ],
        { cwd: moduleDir, env: { ...env, CGO_ENABLED: '0' }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-2000);
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code === 0) resolve();
        else
          reject(
            new UserError(`go build of Tempo failed: ${stderr.trim().split('\n').pop() ?? `exit ${code}`}`),
          );
      });
    });
  } finally {
    clearInterval(heartbeat);
  }
}

/** The Tempo binary, building and caching it first when there is none (minutes, once per version). */
export async function ensureTempoBinary(
  progress: Progress,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const found = findTempoBinary(env);
  if (found) return found;
  const { version, minGo } = versions.tempo;
  const goVersion = await run('go', ['env', 'GOVERSION'], { env })
    .then((r) => r.stdout.trim().replace(/^go/, ''))
    .catch(() => undefined);
  if (!goVersion) {
    throw new UserError(
      `Tempo ${version} is built from source on first use and needs Go ≥ ${minGo}; install Go or set DOJO_TEMPO_BIN to a Tempo binary`,
    );
  }
  if (!goVersionAtLeast(goVersion, minGo)) {
    throw new UserError(`building Tempo ${version} needs Go ≥ ${minGo}, found ${goVersion}`);
  }
  progress(`› Building Tempo ${version} from its Go module (first run only; several minutes, cached after)`);
  const moduleDir = await downloadTempoModule(env);
  const target = cachedTempoPath(env);
  mkdirSync(join(target, '..'), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  try {
    await goBuild(moduleDir, partial, env, progress);
    renameSync(partial, target);
  } finally {
    if (existsSync(partial)) rmSync(partial, { force: true });
  }
  progress(`✔ Tempo ${version} built and cached at ${target}`);
  return target;
}
