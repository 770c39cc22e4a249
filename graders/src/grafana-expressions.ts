// Grafana's server-side expressions as the graders evaluate them, for alert rules and for dashboard
// panels alike: data source queries give series; `reduce`, `math` and `threshold` turn them into numbers
// and conditions. The subset and its rules (README of this workspace: "Alert rules: what is evaluated").
import {
  ExpressionError,
  evaluateMath,
  mathVariables,
  parseMath,
  type Results,
  type Value,
} from './grafana-math.ts';

export { ExpressionError } from './grafana-math.ts';

/** Grafana names its expression "data source" with this uid (older files use -100). */
export const expressionUids = ['__expr__', '-100'];
export const reducers = ['last', 'mean', 'min', 'max', 'sum', 'count'] as const;
export const thresholdTypes = [
  'gt',
  'lt',
  'within_range',
  'outside_range',
  'within_range_included',
  'outside_range_included',
] as const;

export interface ExpressionModel {
  type?: string;
  expression?: string;
  reducer?: string;
  settings?: { mode?: string; replaceWithValue?: number };
  conditions?: { evaluator?: { type?: string; params?: number[] }; unloadEvaluator?: unknown }[];
}

/** One entry of a rule's `data` or of a panel's targets: a data source query, or an expression. */
export type Step =
  | { refId: string; kind: 'query'; run: () => Promise<Results> }
  | { refId: string; kind: 'expression'; model: ExpressionModel };

/** The refId a reduce or threshold reads: its `expression`, written B, $B or ${B}. */
export const inputRef = (model: ExpressionModel) =>
  (model.expression ?? '').trim().replace(/^\$\{?|\}$/g, '');

/** What an expression reads, or a one-line reason it cannot be evaluated here. */
export function expressionInputs(model: ExpressionModel): { inputs: string[] } | { problem: string } {
  const type = model.type ?? '';
  const ref = inputRef(model);
  switch (type) {
    case 'math':
      try {
        return { inputs: [...new Set(mathVariables(parseMath(model.expression ?? '')))] };
      } catch (e) {
        return { problem: (e as Error).message };
      }
    case 'reduce': {
      if (!ref) return { problem: 'reduce needs `expression`: the refId of the query it reduces' };
      if (!(reducers as readonly string[]).includes(model.reducer ?? ''))
        return { problem: `reducer "${model.reducer ?? ''}" is not one of ${reducers.join(', ')}` };
      const mode = model.settings?.mode ?? '';
      if (!['', 'strict', 'dropNN', 'replaceNN'].includes(mode))
        return { problem: `reduce mode "${mode}" is not one of strict, dropNN, replaceNN` };
      return { inputs: [ref] };
    }
    case 'threshold': {
      if (!ref) return { problem: 'threshold needs `expression`: the refId it compares' };
      const c = model.conditions?.[0];
      const ev = c?.evaluator;
      if (!ev || !(thresholdTypes as readonly string[]).includes(ev.type ?? ''))
        return { problem: `threshold evaluator type must be one of ${thresholdTypes.join(', ')}` };
      const need = ev.type!.includes('range') ? 2 : 1;
      if (
        !Array.isArray(ev.params) ||
        ev.params.length < need ||
        ev.params.slice(0, need).some((p) => typeof p !== 'number')
      )
        return { problem: `threshold ${ev.type} needs ${need} number param${need > 1 ? 's' : ''}` };
      if (c?.unloadEvaluator)
        return {
          problem: 'a recovery threshold (unloadEvaluator) is not evaluated by the grader; leave it out',
        };
      return { inputs: [ref] };
    }
    case 'classic_conditions':
      return { problem: 'classic_conditions is not evaluated by the grader; use reduce, then threshold' };
    default:
      return {
        problem: `expression type "${type}" is not evaluated by the grader; use reduce, math or threshold`,
      };
  }
}

function reduceSeries(
  points: (number | null)[],
  reducer: string,
  mode: string,
  replace: number,
): number | null {
  let xs = points;
  if (mode === 'dropNN') xs = xs.filter((x) => x !== null && Number.isFinite(x));
  if (mode === 'replaceNN') xs = xs.map((x) => (x === null || !Number.isFinite(x) ? replace : x));
  const bad = xs.some((x) => x === null || Number.isNaN(x));
  switch (reducer) {
    case 'count':
      return xs.length;
    case 'last':
      return xs.length === 0 ? Number.NaN : xs.at(-1)!;
    case 'sum':
      return bad ? Number.NaN : (xs as number[]).reduce((s, x) => s + x, 0);
    case 'mean':
      return bad ? Number.NaN : (xs as number[]).reduce((s, x) => s + x, 0) / xs.length;
    default:
      if (bad || xs.length === 0) return Number.NaN;
      return reducer === 'min' ? Math.min(...(xs as number[])) : Math.max(...(xs as number[]));
  }
}

function reduce(input: Results, model: ExpressionModel): Results {
  const mode = model.settings?.mode ?? '';
  const replace = model.settings?.replaceWithValue ?? 0;
  return input.map((v): Value => {
    if (v.kind !== 'series') return v;
    const value = reduceSeries(
      v.points.map((p) => p.v),
      model.reducer!,
      mode,
      replace,
    );
    return { kind: 'number', labels: v.labels, value };
  });
}

/** Grafana runs a threshold as math on its input; so do we. */
export function thresholdAsMath(model: ExpressionModel): string {
  const ref = inputRef(model);
  const ev = model.conditions![0]!.evaluator!;
  const [a, b] = ev.params!;
  const x = `$${ref}`;
  switch (ev.type) {
    case 'gt':
      return `${x} > ${a}`;
    case 'lt':
      return `${x} < ${a}`;
    case 'within_range':
      return `${x} > ${a} && ${x} < ${b}`;
    case 'outside_range':
      return `${x} < ${a} || ${x} > ${b}`;
    case 'within_range_included':
      return `${x} >= ${a} && ${x} <= ${b}`;
    default:
      return `${x} <= ${a} || ${x} >= ${b}`;
  }
}

/**
 * Evaluates every step (queries first as needed, then expressions in dependency order) and returns
 * each refId's results. A query that fails throws its UserError; a bad expression throws ExpressionError.
 */
export async function evaluateSteps(steps: Step[]): Promise<Map<string, Results>> {
  const byRef = new Map(steps.map((s) => [s.refId, s]));
  const done = new Map<string, Results>();
  const visiting = new Set<string>();
  const resolve = async (refId: string): Promise<Results> => {
    const known = done.get(refId);
    if (known) return known;
    const step = byRef.get(refId);
    if (!step) throw new ExpressionError(`refers to "${refId}", which is not a query or expression here`);
    if (visiting.has(refId)) throw new ExpressionError(`${refId} depends on itself`);
    visiting.add(refId);
    let out: Results;
    if (step.kind === 'query') {
      out = await step.run();
    } else {
      const found = expressionInputs(step.model);
      if ('problem' in found) throw new ExpressionError(`${refId}: ${found.problem}`);
      const vars: Record<string, Results> = {};
      for (const input of found.inputs) vars[input] = await resolve(input);
      if (step.model.type === 'reduce') out = reduce(vars[found.inputs[0]!]!, step.model);
      else {
        const text = step.model.type === 'threshold' ? thresholdAsMath(step.model) : step.model.expression!;
        out = evaluateMath(parseMath(text), vars);
      }
    }
    visiting.delete(refId);
    done.set(refId, out);
    return out;
  };
  for (const s of steps) await resolve(s.refId);
  return done;
}
