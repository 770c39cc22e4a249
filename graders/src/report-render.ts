// Renders grades as coloured text, JSON, JUnit XML (one testcase per check), Gradescope results.json or
// GitHub Classroom's autograding result (classroom-report.ts).
import { printable } from '@dojo/course';
import { classroomResult } from './classroom-report.ts';
import { type Grade, maxScore, score } from './grade-model.ts';

export type Format = 'text' | 'json' | 'junit' | 'gradescope' | 'classroom';
export const formats: Format[] = ['text', 'json', 'junit', 'gradescope', 'classroom'];

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
const mark = { pass: ['✔', 32], fail: ['✖', 31], 'not-graded': ['?', 33] } as const;

function bar(done: number, total: number, width = 24): string {
  const filled = total ? Math.round((done / total) * width) : 0;
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

export function renderText(grades: Grade[], colour: boolean): string {
  const out: string[] = [];
  for (const g of grades) {
    out.push(
      paint(colour, 1, `${g.title}  ${bar(score(g), maxScore(g))}  ${score(g)}/${maxScore(g)} points`),
    );
    for (const c of g.checks) {
      const [sym, code] = mark[c.verdict];
      out.push(
        `  ${paint(colour, code, sym)} ${printable(c.title)} ${paint(colour, 2, `(${c.points}/${c.maxPoints})`)}`,
      );
      if (c.verdict !== 'pass') {
        // Answers and trace data are the learner's text: a BEL or ESC in them is shown, not obeyed.
        out.push(`      expected: ${printable(c.expected)}`);
        out.push(`      found:    ${printable(c.found)}`);
        if (c.lookedAt) out.push(`      looked at: ${printable(c.lookedAt)}`);
        if (c.hint) out.push(paint(colour, 36, `      hint: ${printable(c.hint)}`));
        if (c.picture) out.push(...c.picture.split('\n').map((l) => `      ${l}`));
      }
    }
    out.push('');
  }
  const total = grades.reduce((n, g) => n + score(g), 0);
  const max = grades.reduce((n, g) => n + maxScore(g), 0);
  if (grades.length > 1) out.push(paint(colour, 1, `Total ${total}/${max} points`));
  return out.join('\n').trimEnd();
}

// XML 1.0 cannot carry most control characters at all, even escaped: they are shown as \xNN text.
const xml = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => printable(c))
    .replace(
      /[<>&"']/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
    );

export function renderJunit(grades: Grade[]): string {
  const suites = grades.map((g) => {
    const failures = g.checks.filter((c) => c.verdict === 'fail').length;
    const skipped = g.checks.filter((c) => c.verdict === 'not-graded').length;
    const cases = g.checks.map((c) => {
      const body =
        c.verdict === 'fail'
          ? `<failure message="${xml(c.found)}">${xml(`expected: ${c.expected}\nfound: ${c.found}\nhint: ${c.hint ?? ''}`)}</failure>`
          : c.verdict === 'not-graded'
            ? `<skipped message="${xml(c.found)}"/>`
            : '';
      return `    <testcase classname="${xml(g.lab)}" name="${xml(`${c.id}: ${c.title}`)}">${body}</testcase>`;
    });
    return `  <testsuite name="${xml(g.title)}" tests="${g.checks.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}\n</testsuites>`;
}

export function renderGradescope(grades: Grade[]): string {
  const tests = grades.flatMap((g) =>
    g.checks.map((c) => ({
      name: `${g.title}: ${c.title}`,
      score: c.points,
      max_score: c.maxPoints,
      status: c.verdict === 'pass' ? 'passed' : 'failed',
      output: [
        `expected: ${c.expected}`,
        `found: ${c.found}`,
        c.lookedAt ? `looked at: ${c.lookedAt}` : '',
        c.hint ? `hint: ${c.hint}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    })),
  );
  const total = grades.reduce((n, g) => n + score(g), 0);
  const max = grades.reduce((n, g) => n + maxScore(g), 0);
  return JSON.stringify({ score: total, max_score: max, tests }, null, 2);
}

export function render(grades: Grade[], format: Format, colour: boolean): string {
  switch (format) {
    case 'json':
      return JSON.stringify(
        { grades: grades.map((g) => ({ ...g, score: score(g), maxScore: maxScore(g) })) },
        null,
        2,
      );
    case 'junit':
      return renderJunit(grades);
    case 'gradescope':
      return renderGradescope(grades);
    case 'classroom':
      return JSON.stringify(classroomResult(grades), null, 2);
    default:
      return renderText(grades, colour);
  }
}
