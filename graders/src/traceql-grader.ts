// `dojo grade traceql`: every answer gets a verdict. The questions' designed traces are pushed into the
// learner's Tempo first; then the reference and the answer run over one fixed window that ends far
// enough behind now for traces still arriving to be left out, so equal answers give equal sets every
// time. With no Tempo to ask, the file and syntax checks still run and the rest is not graded.
import { seedFromEnv, UserError, type Variant, variantOf } from '@dojo/course';
import { describeError, parseTraceQL, type Query } from '@dojo/traceql';
import { shapeProblem } from './answer-shape.ts';
import { type AnswerEntry, readAnswerEntries } from './answers.ts';
import type { PlacedTrace } from './fixture-files.ts';
import type { Check, Grade } from './grade-model.ts';
import { loadGradingTraffic, otlpUrl } from './grading-traffic.ts';
import { type Refusal, refusal } from './query-hints.ts';
import { loadQuestionBank, type Question } from './question-bank.ts';
import { compareMatches } from './set-compare.ts';
import { QueryRejected, type SearchOptions, type TempoClient, type TraceMatch } from './tempo-client.ts';
import { gradeTopSeries } from './top-series.ts';

/** Why there is no Tempo to run the answers on (one line); only syntax is checked then. */
export interface Offline {
  offline: string;
}

export interface TraceqlGradeOptions {
  /** how far back the window reaches, in seconds */
  windowSeconds?: number;
  /** how far behind now the window ends: longer than a trace takes to finish and become searchable */
  settleSeconds?: number;
  /** the OTLP/HTTP endpoint of the same Tempo, for the designed traces (default: from the environment) */
  otlpUrl?: string;
  now?: () => number;
  /** the learner's values (default: DOJO_SEED's, or the course's own) */
  variant?: Variant;
}

/** One grading's view of Tempo: a fixed window, and the designed traces pushed into it. */
interface Snapshot {
  tempo: TempoClient;
  window: SearchOptions & { start: number; end: number };
  /** the designed traces pushed for this grading, by trace id */
  placed: Map<string, PlacedTrace>;
}

const maxTraces = 5000;

export async function gradeTraceql(
  answersDir: string,
  tempo: TempoClient | Offline,
  options: TraceqlGradeOptions = {},
): Promise<Grade> {
  const variant = options.variant ?? variantOf(seedFromEnv());
  const bank = loadQuestionBank('dojo grade traceql', variant);
  const answers = readAnswerEntries(answersDir, 'traceql.yaml', 'a TraceQL query');
  const snapshot = 'offline' in tempo ? undefined : await takeSnapshot(tempo, bank, { ...options, variant });
  const checks: Check[] = [];
  for (const q of bank) checks.push(await gradeOne(q, answers.get(q.id), snapshot));
  for (const [id, entry] of answers) {
    if (!bank.some((q) => q.id === id)) checks.push(unknownQuestion(id, entry, bank));
  }
  return { lab: 'traceql', title: 'Lab 2 — TraceQL', checks };
}

async function takeSnapshot(tempo: TempoClient, bank: Question[], o: TraceqlGradeOptions): Promise<Snapshot> {
  const now = Math.floor((o.now ?? Date.now)() / 1000);
  const end = now - (o.settleSeconds ?? 15);
  const window = { start: end - (o.windowSeconds ?? 300), end, limit: maxTraces, spss: 100 };
  const placed = await loadGradingTraffic(
    tempo,
    o.otlpUrl ?? otlpUrl(),
    bank.map((q) => q.id),
    (end - 1) * 1000,
    window,
    o.variant,
  );
  return { tempo, window, placed: new Map(placed.map((p) => [p.traceId, p])) };
}

type Base = Pick<Check, 'id' | 'title' | 'maxPoints' | 'expected' | 'hint'>;
const fail = (base: Base, found: string, hint: string | undefined, answer?: string): Check => ({
  ...base,
  verdict: 'fail',
  points: 0,
  found,
  ...(answer !== undefined ? { lookedAt: answer } : {}),
  ...(hint ? { hint } : {}),
});

async function gradeOne(
  q: Question,
  entry: AnswerEntry | undefined,
  snap: Snapshot | undefined,
): Promise<Check> {
  const base: Base = { id: q.id, title: q.title, maxPoints: q.points, expected: q.prompt, hint: q.hint };
  if (!entry) return fail(base, 'no answer in traceql.yaml', q.hint);
  if (entry.value === undefined) return fail(base, entry.problem ?? 'no answer', q.hint);
  const answer = entry.value;
  const parsed = parseTraceQL(answer);
  if (!parsed.ok) {
    const r = refusal('engine', describeError(parsed.error));
    return fail(base, r.found, `${r.hint}. ${q.hint}`, answer);
  }
  if (!snap) {
    return {
      ...base,
      verdict: 'not-graded',
      points: 0,
      found: 'valid TraceQL; not run, as Tempo is not answering',
      lookedAt: answer,
      hint: 'start the lab (make lab-up) and grade again',
    };
  }
  if (q.compare === 'top-series') return gradeTopSeries(q, answer, snap.tempo, base, snap.window.end);
  if (parsed.query.metrics)
    return fail(
      base,
      'a TraceQL metrics query; this question asks for a search that matches spans',
      q.hint,
      answer,
    );
  // Both queries keep one window; a question may reach further back than the usual few minutes.
  const window = q.windowSeconds ? { ...snap.window, start: snap.window.end - q.windowSeconds } : snap.window;
  return compareWithReference(q, answer, parsed.query, { ...snap, window }, base);
}

async function compareWithReference(
  q: Question,
  answer: string,
  query: Query,
  snap: Snapshot,
  base: Base,
): Promise<Check> {
  const unit = q.compare === 'spans' ? 'spans' : 'traces';
  let reference = await snap.tempo.search(q.reference, snap.window);
  let mine = await searchAnswer(snap, answer);
  if ('hint' in mine) return fail(base, mine.found, `${mine.hint}. ${q.hint}`, answer);
  let result = compareMatches(unit, keys(unit, reference), keys(unit, mine));
  // Only a trace arriving late into the window (a pipeline run reaches back hours) can move the
  // reference's set between the two queries: while a failure coincides with that, take the pair again.
  for (let tries = 0; result.verdict !== 'pass' && tries < 3; tries++) {
    const again = await snap.tempo.search(q.reference, snap.window);
    if (sameSet(keys(unit, again), keys(unit, reference))) break;
    reference = again;
    mine = await searchAnswer(snap, answer);
    if ('hint' in mine) return fail(base, mine.found, `${mine.hint}. ${q.hint}`, answer);
    result = compareMatches(unit, keys(unit, reference), keys(unit, mine));
  }
  if (reference.length >= maxTraces) {
    return {
      ...base,
      verdict: 'not-graded',
      points: 0,
      found: `the reference matches over ${maxTraces} traces in the window, too many to compare`,
      lookedAt: answer,
      hint: 'lower the load (make lab-up RPS=2) and grade again',
    };
  }
  const shape = q.shape ? shapeProblem(query, q.shape) : undefined;
  if (result.verdict === 'pass' && !shape)
    return { ...base, verdict: 'pass', points: q.points, found: result.found, lookedAt: answer };
  if (result.verdict === 'not-graded')
    return {
      ...base,
      verdict: 'not-graded',
      points: 0,
      found: result.found,
      lookedAt: answer,
      hint: `${result.hint} (dojo scenario set ${q.scenario})`,
    };
  if (result.verdict === 'pass') return fail(base, `${result.found}, but ${shape}`, q.hint, answer);
  const telling = tellingTraces(unit, reference, mine, snap);
  return fail(
    base,
    `${result.found}${shape ? `; and ${shape}` : ''}`,
    `${result.hint}${telling ? ` (${telling})` : ''}. ${q.hint}`,
    answer,
  );
}

/** The learner's matches, or why Tempo would not run the query; Tempo going away stops the grade. */
async function searchAnswer(snap: Snapshot, answer: string): Promise<TraceMatch[] | Refusal> {
  try {
    return await snap.tempo.search(answer, snap.window);
  } catch (e) {
    if (e instanceof QueryRejected) return refusal('tempo', e.message);
    if (!(e instanceof UserError)) throw e;
    const problem = await snap.tempo.problem();
    if (problem) throw new UserError(problem);
    return {
      found: `Tempo could not run the query: ${e.message}`,
      hint: 'Tempo itself answers other queries: make this one cheaper or simpler and try it with `dojo query`',
    };
  }
}

const keys = (unit: 'traces' | 'spans', matches: TraceMatch[]) =>
  new Set(
    unit === 'traces'
      ? matches.map((m) => m.traceId)
      : matches.flatMap((m) => m.spans.map((s) => `${m.traceId}:${s.spanId}`)),
  );

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/** A designed trace the answer wrongly matched or missed, said in the lab's words. */
function tellingTraces(
  unit: 'traces' | 'spans',
  reference: TraceMatch[],
  mine: TraceMatch[],
  snap: Snapshot,
) {
  const traceOf = (key: string) => key.split(':')[0]!;
  const expected = keys(unit, reference);
  const got = keys(unit, mine);
  const extra = [...got].find((k) => !expected.has(k) && snap.placed.has(traceOf(k)));
  const missed = [...expected].find((k) => !got.has(k) && snap.placed.has(traceOf(k)));
  const parts: string[] = [];
  if (extra)
    parts.push(
      `it matches a trace the grader added, which it should not: ${snap.placed.get(traceOf(extra))!.about}`,
    );
  if (missed) parts.push(`it misses a trace the grader added: ${snap.placed.get(traceOf(missed))!.about}`);
  return parts.join('; ');
}

function unknownQuestion(id: string, entry: AnswerEntry, bank: Question[]): Check {
  return {
    id,
    title: `Unknown question ${id}`,
    verdict: 'fail',
    points: 0,
    maxPoints: 0,
    expected: 'an answer to one of the lab’s questions',
    found: `traceql.yaml line ${entry.line}: no question has the id "${id}"`,
    hint: `check the id against the lab's questions: ${bank.map((q) => q.id).join(', ')}`,
  };
}
