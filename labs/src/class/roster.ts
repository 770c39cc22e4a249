// A class: its roster (one learner per line of the instructor's CSV) and its state in the class folder
// (class.yaml): the class Tempo, and for each learner a seed, a port offset for their lab, their tenant in
// the class Tempo, where their answers are, and the scenario the instructor last gave them.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { checkSeed, UserError } from '@dojo/course';
import { parse, stringify } from 'yaml';

export interface Learner {
  id: string;
  name?: string;
  seed: string;
  /** DOJO_PORT_OFFSET of the learner's lab on this machine */
  offset: number;
  /** their answers folder (traceql.yaml, rca.md, quiz.yaml …) */
  answers: string;
  /** how many times their tenant was emptied: a reset moves them to a fresh tenant, <id>.r<n> */
  generation: number;
  /** the scenario the instructor last gave them, and whether it is a mystery to them */
  scenario?: string;
  mystery?: boolean;
  /** where the exam dataset loaded into their tenant begins (ms since the epoch): grading reaches back to it */
  datasetFrom?: number;
}

export interface ClassState {
  /** where class.yaml lives; every relative path in it is relative to this folder */
  dir: string;
  tempo: {
    url: string;
    otlp: string;
    /** started and stopped by `dojo class tempo up|down` (the lab's store with multi-tenancy) */
    managed: boolean;
    /** DOJO_PORT_OFFSET of the managed store */
    offset: number;
  };
  learners: Learner[];
}

export const classFile = 'class.yaml';
const idPattern = /^[a-z0-9][a-z0-9_-]{0,47}$/;

/** The tenant a learner's lab exports to and their queries read (Tempo's X-Scope-OrgID). */
export const tenantOf = (l: Learner) => (l.generation === 0 ? l.id : `${l.id}.r${l.generation}`);

export function classDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.DOJO_CLASS_DIR ?? 'class');
}

/** The instructor's roster: a CSV with a header naming `id` and optionally `name`, `seed`, `answers`. */
export function readRosterCsv(
  path: string,
): { id: string; name?: string; seed?: string; answers?: string }[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(
      `cannot read the roster ${path} (${(e as NodeJS.ErrnoException).code}); name a CSV file`,
    );
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  if (!header.includes('id'))
    throw new UserError(
      `roster ${path}: the first line must name the columns, with "id" among them (id,name,seed,answers)`,
    );
  const seen = new Set<string>();
  return lines.map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const row = Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ''])) as Record<string, string>;
    const where = `roster ${path} line ${i + 2}`;
    const id = row.id!.toLowerCase();
    if (!idPattern.test(id))
      throw new UserError(
        `${where}: id "${row.id}" must be 1-48 letters, digits, "_" or "-" (it names a tenant)`,
      );
    if (seen.has(id)) throw new UserError(`${where}: id "${id}" appears twice`);
    seen.add(id);
    if (row.seed) checkSeed(row.seed, `${where}: seed`);
    return {
      id,
      ...(row.name ? { name: row.name } : {}),
      ...(row.seed ? { seed: row.seed } : {}),
      ...(row.answers ? { answers: row.answers } : {}),
    };
  });
}

export function createClass(
  dir: string,
  roster: ReturnType<typeof readRosterCsv>,
  tempo: ClassState['tempo'],
  firstOffset: number,
): ClassState {
  if (existsSync(join(dir, classFile)))
    throw new UserError(`${dir} already holds a class (${classFile}); name another folder with --class`);
  if (roster.length === 0) throw new UserError('the roster names no learner');
  const state: ClassState = {
    dir,
    tempo,
    learners: roster.map((r, i) => ({
      id: r.id,
      ...(r.name ? { name: r.name } : {}),
      seed: r.seed ?? randomBytes(4).toString('hex'),
      offset: firstOffset + 100 * i,
      answers: r.answers ?? join('learners', r.id, 'answers'),
      generation: 0,
    })),
  };
  saveClass(state);
  for (const l of state.learners) mkdirSync(answersOf(state, l), { recursive: true });
  return state;
}

export function loadClass(dir: string): ClassState {
  let raw: Omit<ClassState, 'dir'>;
  try {
    raw = parse(readFileSync(join(dir, classFile), 'utf8')) as Omit<ClassState, 'dir'>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError(
        `no class in ${dir}; create one with \`dojo class create roster.csv --class ${dir}\``,
      );
    throw new UserError(
      `${join(dir, classFile)} is not a class file (${(e as Error).message.split('\n')[0]})`,
    );
  }
  if (!raw?.tempo?.url || !Array.isArray(raw.learners))
    throw new UserError(`${join(dir, classFile)} is not a class file (it needs tempo and learners)`);
  return { dir, ...raw };
}

export function saveClass(state: ClassState): void {
  mkdirSync(state.dir, { recursive: true });
  const { dir, ...rest } = state;
  const file = join(dir, classFile);
  writeFileSync(
    `${file}.tmp`,
    `# A Tracing Dojo class (dojo class …). Learners' seeds are theirs alone.\n${stringify(rest)}`,
  );
  renameSync(`${file}.tmp`, file);
}

export const answersOf = (state: ClassState, l: Learner) =>
  isAbsolute(l.answers) ? l.answers : join(state.dir, l.answers);
export const stateDirOf = (state: ClassState, l: Learner) => join(state.dir, 'learners', l.id, 'lab');

/** The learners a command names: ids, or every one with --all. */
export function pick(state: ClassState, ids: string[], all: boolean, usage: string): Learner[] {
  if (all) return state.learners;
  if (ids.length === 0) throw new UserError(`which learners? name their ids or --all; ${usage}`);
  return ids.map((id) => {
    const l = state.learners.find((x) => x.id === id.toLowerCase());
    if (!l)
      throw new UserError(
        `no learner "${id}" in the class; its learners are ${state.learners.map((x) => x.id).join(', ')}`,
      );
    return l;
  });
}
