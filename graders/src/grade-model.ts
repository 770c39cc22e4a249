// A grade is a list of checks; every renderer (text, JSON, JUnit, Gradescope) reads this one structure.

export type Verdict = 'pass' | 'fail' | 'not-graded';

export interface Check {
  id: string;
  title: string;
  verdict: Verdict;
  points: number;
  maxPoints: number;
  expected: string;
  found: string;
  /** the TraceQL query or trace id the check looked at */
  lookedAt?: string;
  hint?: string;
  /** a small drawing (e.g. a waterfall) that shows the finding */
  picture?: string;
}

export interface Grade {
  lab: string;
  title: string;
  checks: Check[];
}

export const score = (g: Grade) => g.checks.reduce((n, c) => n + c.points, 0);
export const maxScore = (g: Grade) => g.checks.reduce((n, c) => n + c.maxPoints, 0);

/**
 * What stops grading (bad answers file, unknown question id, Tempo unreachable) is the CLI's one error
 * type, UserError (exit 2); GradingError is the same class under the name graders have used.
 */
export { UserError as GradingError } from '@dojo/course';

/** 0 all passed, 1 some check failed, 2 nothing failed but something could not be graded. */
export function exitCodeOf(grades: Grade[]): number {
  const checks = grades.flatMap((g) => g.checks);
  if (checks.some((c) => c.verdict === 'fail')) return 1;
  if (checks.some((c) => c.verdict === 'not-graded')) return 2;
  return 0;
}
