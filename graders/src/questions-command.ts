// `dojo questions [--seed S]`: Lab 2's questions as this learner is graded on them — the values a seed
// moves (a threshold, a customer, a commit) filled in — without any answer.
import { checkSeed, parseArgv, variantOf } from '@dojo/course';
import { loadQuestionBank } from './question-bank.ts';

/** `labSeed`: DOJO_SEED or the running lab's seed, which the CLI looks up. */
export async function runQuestionsCommand(
  argv: string[],
  labSeed: string | undefined,
  out: (s: string) => void = (s) => process.stdout.write(`${s}\n`),
): Promise<number> {
  const { values } = parseArgv(
    { args: argv, options: { seed: { type: 'string' } } },
    'usage: dojo questions [--seed S]',
  );
  const seed = values.seed !== undefined ? checkSeed(String(values.seed), '--seed') : labSeed;
  for (const q of loadQuestionBank(undefined, variantOf(seed))) {
    out(
      `${q.id}  (${q.points} points, scenario ${q.scenario}${q.expectEmpty ? ', must match nothing' : ''})`,
    );
    out(`  ${q.title}: ${q.prompt}`);
  }
  out(seed ? `(values for seed ${seed})` : '(the course’s own values: no seed is set)');
  return 0;
}
