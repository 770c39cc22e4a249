// `dojo grade quiz`: answers/quiz.yaml (question id → choice id) against the module's quiz.

import { UserError } from '@dojo/course';
import { readIdMap } from './answers.ts';
import type { Check, Grade } from './grade-model.ts';
import { loadQuiz } from './question-bank.ts';

export function gradeQuiz(answersDir: string): Grade {
  const quiz = loadQuiz('dojo grade quiz');
  const answers = readIdMap(answersDir, 'quiz.yaml', 'a choice id (a, b, c or d)');
  for (const [id, { line }] of answers) {
    if (!quiz.some((q) => q.id === id)) {
      throw new UserError(
        `quiz.yaml line ${line}: unknown question id "${id}"; the quiz's ids are ${quiz.map((q) => q.id).join(', ')}`,
      );
    }
  }
  const checks: Check[] = quiz.map((q) => {
    const given = answers.get(q.id)?.value.toLowerCase();
    const right = q.choices.find((c) => c.id === q.answer)!;
    const chosen = q.choices.find((c) => c.id === given);
    return {
      id: q.id,
      title: q.prompt,
      verdict: given === q.answer ? 'pass' : 'fail',
      points: given === q.answer ? 1 : 0,
      maxPoints: 1,
      expected: `${right.id}) ${right.text}`,
      found:
        given === undefined
          ? 'no answer'
          : chosen
            ? `${chosen.id}) ${chosen.text}`
            : `"${given}" is not one of the choices`,
      hint: q.explanation,
    };
  });
  return { lab: 'quiz', title: 'Module 6 quiz', checks };
}
