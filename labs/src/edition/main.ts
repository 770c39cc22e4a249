// `make learner-edition OUT=dir [KIT=dir] [REF=commit]`: builds the learner edition and the instructor kit.
import { printable, repoRoot, UserError } from '@dojo/course';
import { buildLearnerEdition } from './learner-edition.ts';

const usage = 'usage: make learner-edition OUT=dir [KIT=dir] [REF=commit]';

try {
  const [out, kit, ref] = process.argv.slice(2);
  if (!out) throw new UserError(`name the folder for the edition; ${usage}`);
  const edition = buildLearnerEdition({
    source: repoRoot,
    out,
    kit: kit || `${out.replace(/\/+$/, '')}-instructor-kit`,
    ...(ref ? { ref } : {}),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    `learner edition of ${edition.commit.slice(0, 12)} in ${edition.out} (a git repository, branch main); instructor kit in ${edition.kit}\n`,
  );
} catch (e) {
  if (!(e instanceof UserError)) throw e;
  process.stderr.write(`learner-edition: ${printable(e.message)}\n`);
  process.exit(e.exitCode);
}
