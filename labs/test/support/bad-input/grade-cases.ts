// The bad-input table, part 2: `dojo grade` — its options, every kind of broken answers file, and
// grading with no lab or a wrong Tempo.
import { readFileSync } from 'node:fs';
import { doraExample } from '@dojo/graders';
import { type Case, traceId, unreachable } from './case.ts';

const quizKey = readFileSync(new URL('../../../assessment/solution/quiz.yaml', import.meta.url), 'utf8');
const traceqlKey = readFileSync(new URL('../../../lab2/solution/traceql.yaml', import.meta.url), 'utf8');
const rca = (
  frontMatter: string,
  prose = 'The review search parses every review because its index is gone.',
) => `---\n${frontMatter}\n---\n${prose}\n`;
const goodRca = rca(
  `scenario: slow-query\nservice: api\nspan: "pg.query:SELECT shop"\ncause: missing-index\nevidence:\n  - ${traceId}`,
);
const mixedTraceql = `q-errors: "{ status = error }"\nq-slow-db: '{ span.db.system = "postgresql" && duration > }'\n`;

export const gradeCases: Case[] = [
  // grade: commands and answers files
  { name: 'grade without a lab', args: ['grade'], code: 2, err: /^which lab\? usage: dojo grade/ },
  { name: 'grade an unknown lab', args: ['grade', 'bogus'], code: 2, err: /^unknown lab "bogus"; usage:/ },
  {
    name: 'grade two labs',
    args: ['grade', 'quiz', 'rca'],
    code: 2,
    err: /^grade one lab \(or all\) at a time;/,
  },
  {
    name: 'grade with an unknown format',
    args: ['grade', 'quiz', '--format', 'pdf'],
    code: 2,
    err: /^--format must be one of text, json, junit, gradescope, classroom$/,
  },
  {
    name: 'grade --out without a value',
    args: ['grade', 'quiz', '--out'],
    code: 2,
    err: /^--out needs a value; usage: dojo grade/,
  },
  {
    name: 'grade with an unknown option',
    args: ['grade', 'quiz', '--bogus'],
    code: 2,
    err: /^unknown option --bogus; usage: dojo grade/,
  },
  {
    name: 'no answers folder',
    args: ['grade', 'quiz'],
    code: 2,
    err: /^answers\/quiz\.yaml not found: write your answers as "id: value" lines there/,
  },
  {
    name: '--answers a missing folder',
    args: ['grade', 'quiz', '--answers', 'nowhere'],
    code: 2,
    err: /^nowhere\/quiz\.yaml not found/,
  },
  {
    name: 'quiz.yaml empty',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': '' },
    code: 2,
    err: /^answers\/quiz\.yaml: expected lines of "question-id: a choice id/,
  },
  {
    name: 'YAML error on line 1 reported on line 1',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': '"quiz-span: b\nquiz-orphan: c\nquiz-dora: a\n' },
    code: 2,
    err: /^answers\/quiz\.yaml line 1, column 1: this quoted text is never closed; end it with " on the same line$/,
  },
  {
    name: 'quiz.yaml a list',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': '- b\n- c\n' },
    code: 2,
    err: /expected lines of "question-id:/,
  },
  {
    name: 'quiz.yaml indented wrongly',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': 'quiz-span: b\n  quiz-orphan: c\n' },
    code: 2,
    err: /^answers\/quiz\.yaml line 1, column \d+: .+ \(write each answer on its own line as id: 'value'\)$/,
  },
  {
    name: 'a question answered twice',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': 'quiz-span: b\nquiz-orphan: c\nquiz-span: a\n' },
    code: 2,
    err: /^answers\/quiz\.yaml line 3, column 1: this key appears twice; keep one$/,
  },
  {
    name: 'an unknown question id',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': 'quiz-span: b\nquiz-bogus: c\n' },
    code: 2,
    err: /^quiz\.yaml line 2: unknown question id "quiz-bogus"; the quiz's ids are quiz-span/,
  },
  {
    name: 'an answer YAML reads as a map',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': 'quiz-span: {b}\n' },
    code: 2,
    err: /line 1: YAML reads the answer to quiz-span as a map; put it in single quotes/,
  },
  {
    name: 'an empty answer',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': 'quiz-span:\n' },
    code: 2,
    err: /^answers\/quiz\.yaml line 1: expected a choice id/,
  },
  {
    name: 'a 300 KB answers file',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': `${'# padding\n'.repeat(30_000)}quiz-span: b\n` },
    code: 2,
    err: /^answers\/quiz\.yaml is 0\.3 MB; answers files are limited to 256 KB: is it the right file\?$/,
  },
  {
    name: 'quiz.yaml a folder',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': null },
    code: 2,
    err: /^answers\/quiz\.yaml is a folder; write your answers/,
  },
  {
    name: 'quiz.yaml binary',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]) },
    code: 2,
    err: /^answers\/quiz\.yaml is not UTF-8 text; write your answers/,
  },
  {
    name: 'quiz.yaml in Latin-1',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': Buffer.from('quiz-span: b # r\xe9ponse\n', 'latin1') },
    code: 2,
    err: /is not UTF-8 text/,
  },
  {
    name: 'control characters in a question id',
    args: ['grade', 'quiz'],
    files: { 'answers/quiz.yaml': '"quiz-\\a\\e[31m": b\n' },
    code: 2,
    err: /unknown question id "quiz-\\x07\\x1b\[31m"/,
  },
  {
    name: '--answers the quiz file itself',
    args: ['grade', 'quiz', '--answers', 'answers/quiz.yaml'],
    files: { 'answers/quiz.yaml': quizKey },
    code: 0,
    out: /Module 6 quiz/,
  },
  {
    name: '--answers a file of the wrong kind',
    args: ['grade', 'quiz', '--answers', 'answers/rca.md'],
    files: { 'answers/rca.md': goodRca },
    code: 2,
    err: /^--answers answers\/rca\.md: this grade reads quiz\.yaml \(YAML\); pass that file or the answers folder$/,
  },
  {
    name: 'grade all with --answers a file',
    args: ['grade', 'all', '--answers', 'answers/quiz.yaml'],
    files: { 'answers/quiz.yaml': quizKey },
    code: 2,
    err: /^--answers answers\/quiz\.yaml is a file; grading all labs needs the answers folder$/,
  },
  {
    name: '--out onto an answers file',
    args: ['grade', 'quiz', '--out', 'answers/quiz.yaml'],
    files: { 'answers/quiz.yaml': quizKey },
    code: 2,
    err: /^--out answers\/quiz\.yaml would overwrite your answers; name another file/,
  },
  {
    name: '--out in a missing folder',
    args: ['grade', 'quiz', '--out', 'reports/grade.xml'],
    files: { 'answers/quiz.yaml': quizKey },
    code: 2,
    err: /^--out reports\/grade\.xml: its folder does not exist/,
  },
  {
    name: '--out a folder',
    args: ['grade', 'quiz', '--format', 'junit', '--out', 'answers'],
    files: { 'answers/quiz.yaml': quizKey },
    code: 2,
    err: /^--out answers is a folder; name a file/,
  },

  // grade traceql and rca with no lab, or a wrong Tempo
  {
    name: 'traceql answers with no lab: syntax still checked',
    args: ['grade', 'traceql'],
    files: { 'answers/traceql.yaml': mixedTraceql },
    code: 1,
    out: /invalid TraceQL, line 1, column \d+[\s\S]*valid TraceQL; not run, as Tempo is not answering/,
    err: /^Tempo at http:\/\/localhost:\d+ is unreachable \(TEMPO_URL\); is the lab running\? start it with `make lab-up` \(traceql\.yaml was checked for syntax only\)$/,
  },
  {
    name: 'valid traceql answers with no lab: not graded',
    args: ['grade', 'traceql'],
    files: { 'answers/traceql.yaml': traceqlKey },
    code: 2,
    err: /is unreachable \(TEMPO_URL\).*\(traceql\.yaml was checked for syntax only\)$/,
  },
  {
    name: 'traceql answers against a web page',
    args: ['grade', 'traceql'],
    server: 'html200',
    files: { 'answers/traceql.yaml': mixedTraceql },
    code: 1,
    err: /is not a Tempo API \(got text\/html\).*\(traceql\.yaml was checked for syntax only\)$/,
  },
  {
    name: 'traceql answers while Tempo starts',
    args: ['grade', 'traceql'],
    server: 'starting503',
    files: { 'answers/traceql.yaml': mixedTraceql },
    code: 1,
    err: /^Tempo at http:\/\/127\.0\.0\.1:\d+ is still starting \(Ingester not ready.*\); try again in a few seconds/,
  },
  // Each TraceQL answer gets a verdict: an unknown id or an unquoted query fails that answer (exit 1).
  {
    name: 'a traceql answer to an unknown question',
    args: ['grade', 'traceql'],
    files: { 'answers/traceql.yaml': 'q-nope: "{ }"\n' },
    code: 1,
    out: /traceql\.yaml line 1: no question has the id "q-nope"[\s\S]*q-slow-db/,
    err: /syntax only/,
  },
  {
    name: 'an unquoted TraceQL answer',
    args: ['grade', 'traceql'],
    files: { 'answers/traceql.yaml': 'q-errors: { status = error }\n' },
    code: 1,
    out: /answers\/traceql\.yaml line 1: YAML reads the answer to q-errors as a map; put it in single quotes: q-errors: '…'/,
    err: /syntax only/,
  },
  {
    name: 'control characters in a TraceQL answer',
    args: ['grade', 'traceql'],
    files: { 'answers/traceql.yaml': 'q-errors: "\\a{ status = error }\\e[2J"\n' },
    code: 1,
    out: /looked at: \\x07\{ status = error \}\\x1b\[2J/,
    err: /syntax only/,
  },
  {
    name: 'rca with no lab',
    args: ['grade', 'rca'],
    files: { 'answers/rca.md': goodRca },
    code: 2,
    err: /^the lab is not running, so rca\.md cannot be compared with its scenario \(the file itself is fine\); start it with `make lab-up`/,
  },
  {
    name: 'rca.md missing',
    args: ['grade', 'rca'],
    files: { 'answers/quiz.yaml': quizKey },
    code: 2,
    err: /^answers\/rca\.md not found: write your root-cause report there/,
  },
  {
    name: 'rca.md without front matter',
    args: ['grade', 'rca'],
    files: { 'answers/rca.md': 'It was the database.\n' },
    code: 2,
    err: /^answers\/rca\.md: expected front matter between two "---" lines at the top$/,
  },
  {
    name: 'rca.md front matter with an unclosed quote',
    args: ['grade', 'rca'],
    files: { 'answers/rca.md': rca('scenario: slow-query\nservice: "api\ncause: missing-index') },
    code: 2,
    err: /^answers\/rca\.md line 3, column 10: this quoted text is never closed; end it with " on the same line$/,
  },
  {
    name: 'rca.md without a cause',
    args: ['grade', 'rca'],
    files: { 'answers/rca.md': rca(`scenario: slow-query\nservice: api\nspan: x\nevidence: [${traceId}]`) },
    code: 2,
    err: /^answers\/rca\.md: front matter needs "cause" \(text\)$/,
  },
  {
    name: 'rca.md with an unknown cause',
    args: ['grade', 'rca'],
    files: {
      'answers/rca.md': rca(
        `scenario: slow-query\nservice: api\nspan: x\ncause: bad-luck\nevidence: [${traceId}]`,
      ),
    },
    code: 2,
    err: /^rca\.md: cause "bad-luck" is not a cause id; choose one of: /,
  },
  {
    name: 'rca.md with six evidence traces',
    args: ['grade', 'rca'],
    files: {
      'answers/rca.md': rca(
        `scenario: slow-query\nservice: api\nspan: x\ncause: missing-index\nevidence: [a, b, c, d, e, f]`,
      ),
    },
    code: 2,
    err: /"evidence" must list 1 to 5 trace ids, found 6$/,
  },
  {
    name: 'rca against an unknown scenario',
    args: ['grade', 'rca', '--scenario', 'nope'],
    files: { 'answers/rca.md': goodRca },
    code: 2,
    err: /^unknown scenario "nope"; choose one of:/,
  },
  {
    name: 'grade all with no lab',
    args: ['grade', 'all'],
    files: { 'answers/quiz.yaml': quizKey, 'answers/rca.md': goodRca, 'answers/traceql.yaml': mixedTraceql },
    code: 1,
    out: /Module 6 quiz/,
    err: /is unreachable .* \(traceql\.yaml was checked for syntax only; rca\.md was checked as a file only\)$/,
  },
  {
    name: 'grade all with no lab, Lab 4 written',
    args: ['grade', 'all'],
    files: {
      'answers/quiz.yaml': quizKey,
      'answers/rca.md': goodRca,
      'answers/traceql.yaml': mixedTraceql,
      'answers/dora.yaml': doraExample,
    },
    code: 1,
    out: /DORA metrics from traces[^\n]*\n +\? Compared with the pipeline traces in Tempo/,
    err: /is unreachable .* \(traceql\.yaml was checked for syntax only; rca\.md was checked as a file only; dora\.yaml was checked as a file only\)$/,
  },
  {
    name: 'grade all with a broken dora.yaml',
    args: ['grade', 'all'],
    files: {
      'answers/quiz.yaml': quizKey,
      'answers/rca.md': goodRca,
      'answers/traceql.yaml': mixedTraceql,
      'answers/dora.yaml': 'as_of: 2026-01-05T10:00:00Z\nlead_time: [\n',
    },
    code: 2,
    err: /^answers\/dora\.yaml line \d+: /,
  },
  {
    name: 'grade instrumentation with no lab',
    args: ['grade', 'instrumentation'],
    code: 2,
    err: unreachable,
  },
];
