// A class's grades exported for where instructors keep them: one CSV for the class (a row per learner, a
// score and maximum per lab), Gradescope's results.json per learner, and GitHub Classroom's autograding
// result per learner (its JSON, and the base64 payload the grading reporter reads).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '@dojo/course';
import { classroomPayload, classroomResult, maxScore, renderGradescope, score } from '@dojo/graders';
import { classLabs, type LearnerGrade, total, totalMax } from './class-grade.ts';

export const exportFormats = ['csv', 'gradescope', 'classroom'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
const cell = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function gradesCsv(grades: LearnerGrade[]): string {
  const head = [
    'id',
    'name',
    ...classLabs.flatMap((l) => [`${l}_score`, `${l}_max`]),
    'total',
    'max',
    'graded_at',
    'not_graded',
  ];
  const rows = grades.map((g) => {
    const of = (lab: string) => g.grades.find((x) => x.lab === lab);
    const notGraded = g.grades.flatMap((x) =>
      x.checks.filter((c) => c.verdict === 'not-graded').map((c) => `${x.lab}: ${c.found}`),
    );
    return [
      g.id,
      g.name ?? '',
      ...classLabs.flatMap((l): (string | number)[] => {
        const x = of(l);
        return x ? [score(x), maxScore(x)] : ['', ''];
      }),
      total(g),
      totalMax(g),
      g.gradedAt,
      notGraded.join(' | '),
    ];
  });
  return `${[head, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Writes the export and returns the files written. */
export function exportGrades(grades: LearnerGrade[], format: ExportFormat, out: string): string[] {
  if (grades.length === 0) throw new UserError('no grades to export yet; run `dojo class grade --all` first');
  const write = (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  if (format === 'csv') return [write(out, gradesCsv(grades))];
  if (format === 'gradescope')
    return grades.map((g) => write(join(out, g.id, 'results.json'), `${renderGradescope(g.grades)}\n`));
  return grades.flatMap((g) => [
    write(join(out, `${g.id}.json`), `${JSON.stringify(classroomResult(g.grades), null, 2)}\n`),
    write(join(out, `${g.id}.b64`), `${classroomPayload(g.grades)}\n`),
  ]);
}
