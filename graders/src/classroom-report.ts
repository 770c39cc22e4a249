// Grades in GitHub Classroom's autograding format: the result a runner step hands to
// classroom-resources/autograding-grading-reporter (which reads it base64-encoded from <RUNNER>_RESULTS and
// totals each test's score against max_score). One test per check; a check that could not be graded is
// an "error", so the reporter fails the run instead of counting zero points as a fair grade.
import { type Grade, maxScore } from './grade-model.ts';

export interface ClassroomResult {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: { name: string; status: 'pass' | 'fail' | 'error'; score: number; message: string | null }[];
}

export function classroomResult(grades: Grade[]): ClassroomResult {
  const tests = grades.flatMap((g) =>
    g.checks.map((c) => ({
      name: `${g.title}: ${c.title}`,
      status:
        c.verdict === 'pass'
          ? ('pass' as const)
          : c.verdict === 'fail'
            ? ('fail' as const)
            : ('error' as const),
      score: c.points,
      message:
        c.verdict === 'pass'
          ? null
          : `expected: ${c.expected}; found: ${c.found}${c.hint ? `; hint: ${c.hint}` : ''}`,
    })),
  );
  const status = tests.some((t) => t.status === 'fail')
    ? 'fail'
    : tests.some((t) => t.status === 'error')
      ? 'error'
      : 'pass';
  return { version: 1, status, max_score: grades.reduce((n, g) => n + maxScore(g), 0), tests };
}

/** What a workflow step sets as its `result` output for the reporter. */
export const classroomPayload = (grades: Grade[]) =>
  Buffer.from(JSON.stringify(classroomResult(grades))).toString('base64');
