// The part of Grafana's server-side expression language the graders evaluate: math (`$A / $B > 0.05`),
// with Grafana's label matching between operands, NaN and null rules and operator precedence.
// Values are what expressions pass between them: series, numbers, or "no data".

export type Labels = Record<string, string>;
export interface Point {
  t: number;
  v: number | null;
}
export type Value =
  | { kind: 'series'; labels: Labels; points: Point[] }
  | { kind: 'number'; labels: Labels; value: number | null }
  | { kind: 'nodata' };
export type Results = Value[];

/** A problem in a learner's expression or with what it is given: the message names the expression. */
export class ExpressionError extends Error {}

type Node =
  | { t: 'num'; v: number }
  | { t: 'var'; name: string }
  | { t: 'unary'; op: string; arg: Node }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'call'; fn: string; args: Node[] };

// Lowest first, as Grafana's math parser binds them.
const levels = [['||'], ['&&'], ['==', '!=', '>', '<', '>=', '<='], ['+', '-'], ['*', '/', '%'], ['**']];
const functions: Record<string, (x: number | null) => number | null> = {
  abs: (x) => (x === null ? null : Math.abs(x)),
  ceil: (x) => (x === null ? null : Math.ceil(x)),
  floor: (x) => (x === null ? null : Math.floor(x)),
  round: (x) => (x === null ? null : Math.round(x)),
  log: (x) => (x === null ? null : Math.log(x)),
  is_nan: (x) => (x !== null && Number.isNaN(x) ? 1 : 0),
  is_inf: (x) => (x !== null && !Number.isFinite(x) && !Number.isNaN(x) ? 1 : 0),
  is_null: (x) => (x === null ? 1 : 0),
  is_number: (x) => (x !== null && Number.isFinite(x) ? 1 : 0),
};

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re =
    /\s*(\$\{[^}]+\}|\$[A-Za-z0-9_]+|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+|\*\*|&&|\|\||==|!=|>=|<=|[-+*/%()<>!,]|[A-Za-z_]\w*)/y;
  let i = 0;
  while (i < text.length) {
    if (/^\s*$/.test(text.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m)
      throw new ExpressionError(
        `cannot read "${text.slice(i).trim().slice(0, 20)}" in math expression "${text}"`,
      );
    tokens.push(m[1]!);
    i = re.lastIndex;
  }
  return tokens;
}

export function parseMath(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (tok: string) => {
    if (tokens[pos] !== tok) throw new ExpressionError(`expected "${tok}" in math expression "${text}"`);
    pos++;
  };
  const primary = (): Node => {
    const tok = tokens[pos++];
    if (tok === undefined) throw new ExpressionError(`math expression "${text}" ends too early`);
    if (tok === '(') {
      const inner = level(0);
      expect(')');
      return inner;
    }
    if (tok === '-' || tok === '!') return { t: 'unary', op: tok, arg: primary() };
    if (tok.startsWith('$')) return { t: 'var', name: tok.replace(/^\$\{?|\}$/g, '') };
    if (/^[\d.]/.test(tok)) return { t: 'num', v: Number(tok) };
    if (tok in functions && peek() === '(') {
      pos++;
      const arg = level(0);
      expect(')');
      return { t: 'call', fn: tok, args: [arg] };
    }
    throw new ExpressionError(`unexpected "${tok}" in math expression "${text}" (refer to a query as $A)`);
  };
  const level = (n: number): Node => {
    if (n === levels.length) return primary();
    let node = level(n + 1);
    while (peek() !== undefined && levels[n]!.includes(peek()!)) {
      const op = tokens[pos++]!;
      node = { t: 'bin', op, a: node, b: level(n + 1) };
    }
    return node;
  };
  const root = level(0);
  if (pos !== tokens.length)
    throw new ExpressionError(`unexpected "${tokens[pos]}" in math expression "${text}"`);
  return root;
}

/** The refIds a math expression reads. */
export function mathVariables(node: Node): string[] {
  switch (node.t) {
    case 'var':
      return [node.name];
    case 'unary':
      return mathVariables(node.arg);
    case 'bin':
      return [...mathVariables(node.a), ...mathVariables(node.b)];
    case 'call':
      return node.args.flatMap(mathVariables);
    default:
      return [];
  }
}

function binary(op: string, a: number, b: number): number {
  // || and && short-circuit before NaN, as Grafana's do
  if (op === '||' && a !== 0) return 1;
  if (op === '&&' && a === 0) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.NaN;
  const bool = (x: boolean) => (x ? 1 : 0);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '**':
      return a ** b;
    case '==':
      return bool(a === b);
    case '!=':
      return bool(a !== b);
    case '>':
      return bool(a > b);
    case '<':
      return bool(a < b);
    case '>=':
      return bool(a >= b);
    case '<=':
      return bool(a <= b);
    case '||':
      return bool(a !== 0 || b !== 0);
    default:
      return bool(a !== 0 && b !== 0);
  }
}

const sameLabels = (a: Labels, b: Labels) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
const contains = (a: Labels, b: Labels) => Object.entries(b).every(([k, v]) => a[k] === v);
const labelsOf = (v: Value): Labels => (v.kind === 'nodata' ? {} : v.labels);

/** Grafana's union: pairs whose labels are equal, or one side's a subset of the other's. */
function union(a: Results, b: Results): [Labels, Value, Value][] {
  if (a.length === 0 || b.length === 0) return [];
  if ((a.length === 1 && a[0]!.kind === 'nodata') || (b.length === 1 && b[0]!.kind === 'nodata'))
    return [[{}, a[0]!, b[0]!]];
  const pairs: [Labels, Value, Value][] = [];
  for (const x of a) {
    for (const y of b) {
      const lx = labelsOf(x);
      const ly = labelsOf(y);
      const nx = Object.keys(lx).length;
      const ny = Object.keys(ly).length;
      if (sameLabels(lx, ly) || nx === 0 || ny === 0) pairs.push([nx === 0 ? ly : lx, x, y]);
      else if (nx === ny) continue;
      else if (contains(lx, ly)) pairs.push([lx, x, y]);
      else if (contains(ly, lx)) pairs.push([ly, x, y]);
    }
  }
  if (pairs.length === 0 && a.length === 1 && b.length === 1) pairs.push([{}, a[0]!, b[0]!]);
  return pairs;
}

function combine(op: string, labels: Labels, x: Value, y: Value): Value {
  if (x.kind === 'nodata') return x;
  if (y.kind === 'nodata') return y;
  const f = (a: number | null, b: number | null) => (a === null || b === null ? null : binary(op, a, b));
  if (x.kind === 'series' && y.kind === 'series') {
    const byTime = new Map(y.points.map((p) => [p.t, p.v]));
    const points: Point[] = [];
    for (const p of x.points) if (byTime.has(p.t)) points.push({ t: p.t, v: f(p.v, byTime.get(p.t)!) });
    return { kind: 'series', labels, points };
  }
  if (x.kind === 'series' && y.kind === 'number')
    return { kind: 'series', labels, points: x.points.map((p) => ({ t: p.t, v: f(p.v, y.value) })) };
  if (x.kind === 'number' && y.kind === 'series')
    return { kind: 'series', labels, points: y.points.map((p) => ({ t: p.t, v: f(x.value, p.v) })) };
  return {
    kind: 'number',
    labels,
    value: f((x as { value: number | null }).value, (y as { value: number | null }).value),
  };
}

function apply(fn: (x: number | null) => number | null, v: Value): Value {
  if (v.kind === 'nodata') return v;
  if (v.kind === 'number') return { ...v, value: fn(v.value) };
  return { ...v, points: v.points.map((p) => ({ t: p.t, v: fn(p.v) })) };
}

export function evaluateMath(node: Node, vars: Record<string, Results>): Results {
  switch (node.t) {
    case 'num':
      return [{ kind: 'number', labels: {}, value: node.v }];
    case 'var': {
      const v = vars[node.name];
      if (!v) throw new ExpressionError(`$${node.name} names no query or expression of this rule`);
      return v;
    }
    case 'unary':
      return evaluateMath(node.arg, vars).map((v) =>
        apply(
          (x) => (x === null ? null : Number.isNaN(x) ? Number.NaN : node.op === '-' ? -x : x === 0 ? 1 : 0),
          v,
        ),
      );
    case 'call':
      return evaluateMath(node.args[0]!, vars).map((v) => apply(functions[node.fn]!, v));
    default: {
      const a = evaluateMath(node.a, vars);
      const b = evaluateMath(node.b, vars);
      return union(a, b).map(([labels, x, y]) => combine(node.op, labels, x, y));
    }
  }
}
