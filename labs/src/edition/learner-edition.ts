// Builds the learner edition: the course at one commit with every answer key taken out, as a fresh git
// repository ready to push as a classroom template, and beside it the instructor kit that holds the keys.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { answerKeyFile, UserError } from '@dojo/course';
import { parse } from 'yaml';
import { type Leak, scanForKeys } from './leak-scan.ts';
import { type KeyDoc, keyedFiles, renderAnswerKey, stripKeys } from './strip-keys.ts';

interface EditionRules {
  withhold: { path: string; why: string }[];
  kept: { file: string; holds: string[]; why: string }[];
}

/** What the edition withholds and the graded answers it knowingly keeps (edition.yaml). */
export function editionRules(): EditionRules {
  const file = new URL('edition.yaml', import.meta.url);
  if (!existsSync(file))
    throw new UserError(
      'this checkout is a learner edition (it has no edition rules and no keys); build the edition from the course’s source',
    );
  return parse(readFileSync(file, 'utf8')) as EditionRules;
}

/** The leaks edition.yaml does not account for. */
export function unexpectedLeaks(leaks: Leak[], rules: EditionRules = editionRules()): Leak[] {
  return leaks.filter((l) => !rules.kept.some((k) => k.file === l.file && k.holds.includes(l.what)));
}

export interface EditionOptions {
  /** the course's source checkout */
  source: string;
  out: string;
  kit: string;
  /** the commit to build from (default HEAD) */
  ref?: string;
  progress?: (line: string) => void;
}

export interface Edition {
  commit: string;
  out: string;
  kit: string;
  key: KeyDoc;
  /** files left out because they are answers or need them, relative to the source */
  withheld: string[];
}

const git = (cwd: string, args: string[], input?: Buffer) =>
  execFileSync('git', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 30 });

function emptyOrAbsent(dir: string, flag: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new UserError(`${flag}=${dir} is not empty; name a new folder`);
}

export function formatLeaks(leaks: Leak[]): string {
  return leaks.map((l) => `${l.file}: ${l.what}`).join('; ');
}

export function buildLearnerEdition(o: EditionOptions): Edition {
  const say = o.progress ?? (() => {});
  const source = resolve(o.source);
  const out = resolve(o.out);
  const kit = resolve(o.kit);
  for (const [flag, dir] of [
    ['OUT', out],
    ['KIT', kit],
  ] as const) {
    if (dir === source || dir.startsWith(`${source}/`))
      throw new UserError(`${flag}=${dir} is inside the course's source; name a folder outside it`);
    emptyOrAbsent(dir, flag);
  }
  if (out === kit) throw new UserError('OUT and KIT must be two folders: the kit must not reach learners');
  const rules = editionRules();
  let commit: string;
  try {
    commit = git(source, ['rev-parse', '--verify', `${o.ref ?? 'HEAD'}^{commit}`])
      .toString()
      .trim();
  } catch {
    throw new UserError(`REF=${o.ref ?? 'HEAD'} is not a commit of ${source}`);
  }
  say(`› exporting ${commit.slice(0, 12)} to ${out}`);
  mkdirSync(out, { recursive: true });
  execFileSync('tar', ['-x', '-C', out], { input: git(source, ['archive', '--format=tar', commit]) });

  say('› taking the keys out of the catalog, the question bank and the quiz');
  const key = stripKeys(out);
  // The YAML writer lays the rewritten files out its own way; the edition's own `make test` lints them.
  execFileSync(
    join(source, 'node_modules', '.bin', 'biome'),
    ['format', '--write', ...keyedFiles.map((f) => f.path)],
    {
      cwd: out,
      stdio: 'ignore',
    },
  );
  mkdirSync(kit, { recursive: true });
  const withheld: string[] = [];
  for (const { path } of rules.withhold.filter((w) => existsSync(join(out, w.path)))) {
    const to = join(kit, 'withheld', path);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(join(out, path), to, { recursive: true });
    rmSync(join(out, path), { recursive: true });
    withheld.push(path);
  }
  writeFileSync(join(kit, answerKeyFile), renderAnswerKey(key, commit));
  writeFileSync(join(kit, 'README.md'), kitReadme(commit, withheld));
  writeFileSync(join(out, 'LEARNER-EDITION.md'), editionReadme(commit));

  say('› looking for anything of the key left in the edition');
  const leaks = unexpectedLeaks(scanForKeys(out, key), rules);
  if (leaks.length > 0)
    throw new UserError(
      `the learner edition would still hold answers: ${formatLeaks(leaks)}; withhold those files or list them under kept in labs/src/edition/edition.yaml`,
    );

  say('› committing the edition');
  git(out, ['init', '-q', '-b', 'main']);
  git(out, ['add', '-A']);
  git(out, [
    '-c',
    'user.name=Tracing Dojo',
    '-c',
    'user.email=dojo@localhost',
    'commit',
    '-q',
    '-m',
    `Tracing Dojo, learner edition (from ${commit.slice(0, 12)})`,
  ]);
  return { commit, out, kit, key, withheld };
}

function editionReadme(commit: string): string {
  return `# Learner edition

This repository is the Tracing Dojo course as learners receive it, made from commit \`${commit.slice(0, 12)}\`
of the course's source by \`make learner-edition\`. It holds no answer key: the scenarios' root causes
and reference queries, the graded TraceQL questions' references and the quiz key are with your
instructor. The practice questions on the site still check themselves.

\`npx dojo grade traceql|rca|quiz\` grade with the instructor's key only (\`DOJO_ANSWER_KEY\`); without
it they say so and stop. \`dojo grade instrumentation\`, \`dora\` and \`practical\` need no key.
`;
}

function kitReadme(commit: string, withheld: string[]): string {
  return `# Instructor kit

Made with the learner edition from commit \`${commit.slice(0, 12)}\`. Keep it out of learners' hands.

- \`answer-key.yaml\`: every scenario's root cause and reference query, every graded TraceQL question's
  reference, the quiz key. Grade with it from a learner edition checkout:
  \`DOJO_ANSWER_KEY=/path/to/this/kit npx dojo grade all --answers <learner>/answers\`.
- \`withheld/\`: what the edition leaves out, at the paths it has in the source:
${withheld.map((p) => `  - \`${p}\``).join('\n')}
`;
}
