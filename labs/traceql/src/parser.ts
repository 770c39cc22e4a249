// TraceQL text → typed AST, accepting what Tempo 3.0.3's grammar accepts with its operator
// precedence (lowest first: `|`; `&&` `||`; comparisons and structural operators; `+ -`; `!`;
// `* / %`; `^`). The top level is parsed once into a neutral tree, then shaped into pipelines,
// scalar filters and metrics stages, because `(` and `>` mean different things in each.
// Hand-written: Grafana's Lezer grammar (@grafana/lezer-traceql) is a highlighting grammar that
// rejects valid Tempo queries (1m29s, `.5`, nestedSet*, maxInt, unknown hints, metrics filters).
import type {
  Aggregate,
  AttributeScope,
  CompareOp,
  FieldExpr,
  FieldOp,
  HintValue,
  Intrinsic,
  MetricsFunction,
  MetricsStage,
  Pipeline,
  PipelineElement,
  Position,
  Query,
  ScalarExpr,
  SecondStage,
  SpansetElement,
  SpansetFilter,
  SpansetOp,
  Static,
} from './ast.ts';
import { QueryError } from './errors.ts';
import { foldConstants } from './fold.ts';
import { type Token, tokenize } from './lexer.ts';
import { validateQuery } from './validate.ts';

type G =
  | { k: 'filter'; f: SpansetFilter; pos: Position }
  | { k: 'paren'; inner: G; pos: Position }
  | { k: 'agg'; agg: Aggregate; pos: Position }
  | { k: 'num'; value: Static; pos: Position }
  | { k: 'by'; expr: FieldExpr; pos: Position }
  | { k: 'select'; attrs: FieldExpr[]; pos: Position }
  | { k: 'coalesce'; pos: Position }
  | { k: 'metrics'; stage: MetricsStage; pos: Position }
  | { k: 'second'; type: 'topk' | 'bottomk'; n: number; pos: Position }
  | { k: 'bin'; op: string; l: G; r: G; pos: Position };

const STRUCTURAL_ONLY = new Set(['>>', '<<', '~', '!>', '!<', '!>>', '!<<', '&>', '&<', '&>>', '&<<', '&~']);

const TOP_PREC: Record<string, number> = {
  '|': 1,
  '&&': 2,
  '||': 2,
  '=': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '=~': 3,
  '!~': 3,
  '>>': 3,
  '<<': 3,
  '~': 3,
  '!>': 3,
  '!<': 3,
  '!>>': 3,
  '!<<': 3,
  '&>': 3,
  '&<': 3,
  '&>>': 3,
  '&<<': 3,
  '&~': 3,
  '+': 4,
  '-': 4,
  '*': 6,
  '/': 6,
  '%': 6,
  '^': 7,
};
// Inside `{ }` the same table holds without the pipe and the structural operators.
const FIELD_PREC: Record<string, number> = Object.fromEntries(
  Object.entries(TOP_PREC).filter(([op]) => op !== '|' && !STRUCTURAL_ONLY.has(op)),
);
const NOT_PREC = 5;
const COMPARE = new Set(['=', '!=', '<', '<=', '>', '>=']);
const STRUCTURAL = new Set([
  '>',
  '<',
  '>>',
  '<<',
  '~',
  '!~',
  '!>',
  '!<',
  '!>>',
  '!<<',
  '&>',
  '&<',
  '&>>',
  '&<<',
  '&~',
]);
const ARITH = new Set(['+', '-', '*', '/', '%', '^']);

const STATIC_KEYWORDS: Record<string, Static> = {
  true: { t: 'bool', v: true },
  false: { t: 'bool', v: false },
  ok: { t: 'status', v: 'ok' },
  error: { t: 'status', v: 'error' },
  unset: { t: 'status', v: 'unset' },
  unspecified: { t: 'kind', v: 'unspecified' },
  internal: { t: 'kind', v: 'internal' },
  server: { t: 'kind', v: 'server' },
  client: { t: 'kind', v: 'client' },
  producer: { t: 'kind', v: 'producer' },
  consumer: { t: 'kind', v: 'consumer' },
};

const UNSCOPED_INTRINSICS: Record<string, Intrinsic> = {
  duration: 'duration',
  name: 'name',
  status: 'status',
  statusMessage: 'statusMessage',
  kind: 'kind',
  parent: 'parent',
  rootName: 'rootName',
  rootServiceName: 'rootServiceName',
  traceDuration: 'traceDuration',
  nestedSetLeft: 'nestedSetLeft',
  nestedSetRight: 'nestedSetRight',
  nestedSetParent: 'nestedSetParent',
};

const SCOPED_INTRINSICS: Record<string, Record<string, Intrinsic>> = {
  'trace:': {
    duration: 'traceDuration',
    rootName: 'rootName',
    rootService: 'rootServiceName',
    id: 'trace:id',
  },
  'span:': {
    duration: 'duration',
    name: 'name',
    kind: 'kind',
    status: 'status',
    statusMessage: 'statusMessage',
    id: 'span:id',
    parentID: 'span:parentID',
    childCount: 'childCount',
  },
  'event:': { name: 'event:name', timeSinceStart: 'event:timeSinceStart' },
  'link:': { traceID: 'link:traceID', spanID: 'link:spanID' },
  'instrumentation:': { name: 'instrumentation:name', version: 'instrumentation:version' },
};

const ATTRIBUTE_SCOPE: Record<string, AttributeScope> = {
  '.': 'none',
  'span.': 'span',
  'resource.': 'resource',
  'event.': 'event',
  'link.': 'link',
  'instrumentation.': 'instrumentation',
};

const METRICS: Record<string, MetricsFunction> = {
  rate: 'rate',
  count_over_time: 'count_over_time',
  min_over_time: 'min_over_time',
  max_over_time: 'max_over_time',
  sum_over_time: 'sum_over_time',
  avg_over_time: 'avg_over_time',
  quantile_over_time: 'quantile_over_time',
  histogram_over_time: 'histogram_over_time',
  compare: 'compare',
};

const MAX_INT = 9223372036854775807n;
const MIN_INT = -9223372036854775808n;

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'end of the query';
    case 'string':
      return `the string "${t.text}"`;
    case 'attr':
      return `the attribute name \`${t.text}\``;
    case 'endattr':
      return 'the end of an attribute name';
    case 'int':
    case 'float':
    case 'duration':
      return `the number \`${t.text}\``;
    default:
      return `\`${t.text}\``;
  }
}

class Parser {
  private i = 0;
  /** Unknown identifiers: Tempo records them and keeps parsing, then refuses the query. */
  firstUnknown: QueryError | undefined;
  private readonly toks: Token[];
  constructor(toks: Token[]) {
    this.toks = toks;
  }

  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private is(text: string, o = 0): boolean {
    const t = this.peek(o);
    return (t.type === 'op' || t.type === 'kw') && t.text === text;
  }
  private pos(t = this.peek()): Position {
    return { line: t.line, column: t.column };
  }
  private unexpected(expected?: string): never {
    const t = this.peek();
    const hint = expected ? `, expected ${expected}` : '';
    throw new QueryError('parse', `unexpected ${describe(t)}${hint}`, t.line, t.column);
  }
  private expect(text: string, expected = `\`${text}\``): Token {
    if (!this.is(text)) this.unexpected(expected);
    return this.next();
  }

  parseRoot(src: string): Query {
    const top = this.parseTop(1);
    const hints = new Map<string, HintValue>();
    while (this.is('with')) {
      this.next();
      this.expect('(');
      do {
        const name = this.next();
        if (name.type !== 'ident' && name.type !== 'kw') this.unexpected('a hint name');
        this.expect('=');
        const value = this.parseStatic();
        hints.set(name.text, value);
      } while (this.is(',') && this.next());
      this.expect(')', '`)` closing the hints');
    }
    if (this.peek().type !== 'eof') this.unexpected(this.expectAfterTop());
    if (this.firstUnknown) throw this.firstUnknown;
    return shapeRoot(src, top, hints);
  }

  private expectAfterTop(): string {
    return 'an operator such as `&&`, `>>` or `|`, or the end of the query';
  }

  // ---- top level -------------------------------------------------------------------------------

  private parseTop(minPrec: number): G {
    let left = this.parseTopPrimary();
    while (true) {
      const t = this.peek();
      if (t.type !== 'op') break;
      const prec = TOP_PREC[t.text];
      if (prec === undefined || prec < minPrec) break;
      this.next();
      // A metrics filter may compare with a negative number: `| rate() > -1`.
      const right = t.text === '^' ? this.parseTop(prec) : this.parseTop(prec + 1);
      left = { k: 'bin', op: t.text, l: left, r: right, pos: this.pos(t) };
    }
    return left;
  }

  private parseTopPrimary(): G {
    const t = this.peek();
    const pos = this.pos(t);
    if (this.is('{')) {
      this.next();
      if (this.is('}')) {
        this.next();
        return {
          k: 'filter',
          f: { type: 'filter', expr: { type: 'static', value: { t: 'bool', v: true }, pos } },
          pos,
        };
      }
      const expr = this.parseField(2);
      this.expect('}', '`}` closing the span filter, or an operator such as `&&`');
      return { k: 'filter', f: { type: 'filter', expr }, pos };
    }
    if (this.is('(')) {
      this.next();
      const inner = this.parseTop(1);
      this.expect(')', '`)`');
      return { k: 'paren', inner, pos };
    }
    if (t.type === 'int' || t.type === 'float' || t.type === 'duration')
      return { k: 'num', value: this.number(this.next(), false), pos };
    if (this.is('-') && ['int', 'float', 'duration'].includes(this.peek(1).type)) {
      this.next();
      return { k: 'num', value: this.number(this.next(), true), pos };
    }
    if (t.type === 'kw') {
      switch (t.text) {
        case 'count':
          this.next();
          this.expect('(');
          this.expect(')', '`)`: count() takes no argument');
          return { k: 'agg', agg: { type: 'aggregate', op: 'count', expr: undefined }, pos };
        case 'avg':
        case 'max':
        case 'min':
        case 'sum': {
          this.next();
          this.expect('(');
          const expr = this.parseField(2);
          this.expect(')', '`)`');
          return { k: 'agg', agg: { type: 'aggregate', op: t.text, expr }, pos };
        }
        case 'by': {
          this.next();
          this.expect('(');
          const expr = this.parseField(2);
          this.expect(')', '`)`');
          return { k: 'by', expr, pos };
        }
        case 'select': {
          this.next();
          this.expect('(');
          const attrs = [this.parseAttributeOnly()];
          while (this.is(',')) {
            this.next();
            attrs.push(this.parseAttributeOnly());
          }
          this.expect(')', '`)` or `,`');
          return { k: 'select', attrs, pos };
        }
        case 'coalesce':
          this.next();
          this.expect('(');
          this.expect(')');
          return { k: 'coalesce', pos };
        case 'topk':
        case 'bottomk': {
          this.next();
          this.expect('(');
          const n = this.next();
          if (n.type !== 'int') this.unexpected('a whole number');
          this.expect(')');
          return { k: 'second', type: t.text, n: Number(n.int), pos };
        }
      }
      if (t.text in METRICS) return { k: 'metrics', stage: this.parseMetrics(), pos };
    }
    if (this.i === 0 && (t.type === 'kw' || t.type === 'ident' || t.type === 'string')) {
      this.unexpected('`{`: a TraceQL query starts with a span selector `{ … }`');
    }
    this.unexpected('`{`, `(` or a pipeline function');
  }

  private parseMetrics(): MetricsStage {
    const fn = METRICS[this.next().text]!;
    this.expect('(');
    let attr: FieldExpr | undefined;
    const quantiles: number[] = [];
    let compare: MetricsStage['compare'];
    if (fn === 'rate' || fn === 'count_over_time') {
      // no argument
    } else if (fn === 'compare') {
      const pos = this.pos();
      this.expect('{', 'a span filter `{ … }` to compare');
      let expr: FieldExpr = { type: 'static', value: { t: 'bool', v: true }, pos };
      if (!this.is('}')) expr = this.parseField(2);
      this.expect('}');
      const ints: number[] = [];
      while (this.is(',')) {
        this.next();
        const n = this.next();
        if (n.type !== 'int') this.unexpected('a whole number');
        ints.push(Number(n.int));
      }
      if (ints.length !== 0 && ints.length !== 1 && ints.length !== 3) this.unexpected('`)`');
      compare = {
        filter: { type: 'filter', expr },
        topN: ints[0] ?? 10,
        start: BigInt(ints[1] ?? 0),
        end: BigInt(ints[2] ?? 0),
      };
    } else {
      attr = this.parseAttributeOnly();
      if (fn === 'quantile_over_time') {
        this.expect(',', '`,` and the quantiles to compute, e.g. quantile_over_time(duration, .5, .99)');
        do {
          const n = this.next();
          if (n.type === 'int') quantiles.push(Number(n.int));
          else if (n.type === 'float') quantiles.push(n.float!);
          else this.unexpected('a number');
        } while (this.is(',') && this.next());
      }
    }
    this.expect(')', '`)`');
    const by: FieldExpr[] = [];
    if (fn !== 'compare' && this.is('by')) {
      this.next();
      this.expect('(');
      by.push(this.parseAttributeOnly());
      while (this.is(',')) {
        this.next();
        by.push(this.parseAttributeOnly());
      }
      this.expect(')', '`)` or `,`');
    }
    return { fn, attr, by, quantiles, ...(compare ? { compare } : {}) };
  }

  private number(t: Token, negative: boolean): Static {
    if (t.type === 'int') return { t: 'int', v: negative ? -t.int! : t.int! };
    if (t.type === 'float') return { t: 'float', v: negative ? -t.float! : t.float! };
    return { t: 'duration', v: negative ? -t.nanos! : t.nanos! };
  }

  // ---- field expressions -----------------------------------------------------------------------

  private parseField(minPrec: number): FieldExpr {
    let left = this.parseFieldUnary();
    while (true) {
      const t = this.peek();
      if (t.type !== 'op') break;
      const prec = FIELD_PREC[t.text];
      if (prec === undefined || prec < minPrec) break;
      this.next();
      const pos = this.pos(t);
      if ((t.text === '=' || t.text === '!=') && this.is('nil')) {
        this.next();
        if (left.type === 'static' && left.value.t === 'nil' && (left as { nilMarker?: boolean }).nilMarker) {
          left = { type: 'static', value: { t: 'bool', v: false }, pos };
        } else {
          left = { type: 'unary', op: t.text === '=' ? 'notExists' : 'exists', expr: left, pos };
        }
        continue;
      }
      const right = t.text === '^' ? this.parseField(prec) : this.parseField(prec + 1);
      if (isNilMarker(left)) {
        if (t.text !== '=' && t.text !== '!=')
          this.failAt(pos, '`nil` can only be compared with `=` or `!=`');
        left = { type: 'unary', op: t.text === '=' ? 'notExists' : 'exists', expr: right, pos };
        continue;
      }
      if (isNilMarker(right)) this.failAt(pos, '`nil` can only be compared with `=` or `!=`');
      left = { type: 'binary', op: t.text as FieldOp, lhs: left, rhs: right, pos };
    }
    if (isNilMarker(left) && minPrec <= 2)
      this.failAt(left.pos, '`nil` can only be compared with `=` or `!=`');
    return left;
  }

  private failAt(pos: Position, message: string): never {
    throw new QueryError('parse', message, pos.line, pos.column);
  }

  private parseFieldUnary(): FieldExpr {
    const t = this.peek();
    const pos = this.pos(t);
    if (this.is('!')) {
      this.next();
      return { type: 'unary', op: '!', expr: this.parseField(NOT_PREC + 1), pos };
    }
    if (this.is('-')) {
      this.next();
      return { type: 'unary', op: '-', expr: this.parseField(NOT_PREC), pos };
    }
    if (this.is('(')) {
      this.next();
      const e = this.parseField(2);
      this.expect(')', '`)`');
      return e;
    }
    if (this.is('nil')) {
      this.next();
      return { type: 'static', value: { t: 'nil' }, pos, nilMarker: true } as FieldExpr;
    }
    const attr = this.tryAttribute();
    if (attr) return attr;
    return { type: 'static', value: this.parseStatic(), pos };
  }

  private parseStatic(): Static {
    const t = this.peek();
    if (t.type === 'string') {
      this.next();
      return { t: 'string', v: t.text };
    }
    if (t.type === 'int' || t.type === 'float' || t.type === 'duration')
      return this.number(this.next(), false);
    if (t.type === 'kw' && t.text in STATIC_KEYWORDS) {
      this.next();
      return STATIC_KEYWORDS[t.text]!;
    }
    if (t.type === 'ident') {
      this.next();
      if (t.text === 'maxInt') return { t: 'int', v: MAX_INT };
      if (t.text === 'minInt') return { t: 'int', v: MIN_INT };
      const message = t.text.startsWith("'")
        ? `unknown identifier: ${t.text} — strings take double quotes: "${t.text.slice(1, -1)}"`
        : SCOPE_LIKE.test(t.text)
          ? `unknown identifier: ${t.text} — attributes start with a scope: span., resource., event., link., instrumentation. or just .`
          : `unknown identifier: ${t.text}`;
      this.firstUnknown ??= new QueryError('parse', message, t.line, t.column);
      return { t: 'nil' };
    }
    this.unexpected('a value, an attribute or an intrinsic such as `duration`');
  }

  /** intrinsic, scoped intrinsic or attribute; undefined when the next token starts none. */
  private tryAttribute(): FieldExpr | undefined {
    const t = this.peek();
    const pos = this.pos(t);
    if (t.type !== 'kw' && !(t.type === 'op' && t.text === '.')) return undefined;
    if (t.text in UNSCOPED_INTRINSICS) {
      this.next();
      return { type: 'intrinsic', name: UNSCOPED_INTRINSICS[t.text]!, pos };
    }
    const scoped = SCOPED_INTRINSICS[t.text];
    if (scoped) {
      this.next();
      const n = this.peek();
      const name =
        (n.type === 'kw' || n.type === 'ident') && Object.hasOwn(scoped, n.text) ? scoped[n.text] : undefined;
      if (!name) {
        this.unexpected(
          `one of ${Object.keys(scoped)
            .map((k) => `${t.text}${k}`)
            .join(', ')}`,
        );
      }
      this.next();
      return { type: 'intrinsic', name, pos };
    }
    if (t.text === 'parent.') {
      this.next();
      let scope: AttributeScope = 'none';
      if (this.is('span.') || this.is('resource.')) scope = ATTRIBUTE_SCOPE[this.next().text]!;
      return { type: 'attribute', scope, name: this.attributeName(), parent: true, pos };
    }
    if (t.text in ATTRIBUTE_SCOPE) {
      this.next();
      return {
        type: 'attribute',
        scope: ATTRIBUTE_SCOPE[t.text]!,
        name: this.attributeName(),
        parent: false,
        pos,
      };
    }
    return undefined;
  }

  private attributeName(): string {
    const n = this.peek();
    if (n.type !== 'attr') this.unexpected('an attribute name right after the scope, e.g. span.http.route');
    this.next();
    if (this.peek().type !== 'endattr') this.unexpected('the end of the attribute name');
    this.next();
    return n.text;
  }

  private parseAttributeOnly(): FieldExpr {
    const a = this.tryAttribute();
    if (!a) this.unexpected('an attribute or an intrinsic, e.g. span.http.route or duration');
    return a;
  }
}

const SCOPE_LIKE = /^[a-z]+$/;

function isNilMarker(e: FieldExpr): boolean {
  return e.type === 'static' && (e as { nilMarker?: boolean }).nilMarker === true;
}

// ---- shaping the neutral tree ------------------------------------------------------------------

function stripParens(g: G): G {
  return g.k === 'paren' ? stripParens(g.inner) : g;
}

function flattenPipes(g: G): G[] {
  return g.k === 'bin' && g.op === '|' ? [...flattenPipes(g.l), g.r] : [g];
}

/** The node a chain of metrics filters hangs from: `rate() > 5 < 10` → rate(). */
function metricsCore(g: G): { core: G; filters: SecondStage[] } {
  const filters: SecondStage[] = [];
  let cur = g;
  while (cur.k === 'bin' && COMPARE.has(cur.op)) {
    const r = cur.r;
    if (r.k !== 'num') break;
    const v = r.value;
    const value = v.t === 'duration' ? Number(v.v) / 1e9 : Number((v as { v: number | bigint }).v);
    filters.unshift({ type: 'filter', op: cur.op as CompareOp, value });
    cur = cur.l;
  }
  return { core: cur, filters };
}

function fail(pos: Position, message: string): never {
  throw new QueryError('parse', message, pos.line, pos.column);
}

function shapeRoot(text: string, top: G, hints: Map<string, HintValue>): Query {
  const stages = flattenPipes(top);
  const metricsAt = stages.findIndex((s) => metricsCore(s).core.k === 'metrics');
  if (metricsAt === -1) {
    const second = stages.find((s) => metricsCore(s).core.k === 'second');
    if (second) fail(second.pos, 'topk() and bottomk() follow a metrics function such as rate()');
    const pipeline = shapePipeline(stages);
    return { text, pipeline, metrics: undefined, secondStage: [], hints };
  }
  if (metricsAt === 0) fail(stages[0]!.pos, 'a metrics function follows a span filter: `{ … } | rate()`');
  const pipeline = shapePipeline(stages.slice(0, metricsAt));
  const first = metricsCore(stages[metricsAt]!);
  const secondStage: SecondStage[] = [...first.filters];
  for (const s of stages.slice(metricsAt + 1)) {
    const { core, filters } = metricsCore(s);
    if (core.k !== 'second')
      fail(core.pos, 'after a metrics function only topk(), bottomk() or a comparison can follow');
    secondStage.push({ type: core.type, n: core.n }, ...filters);
  }
  if (first.core.k !== 'metrics') throw new Error('unreachable');
  return { text, pipeline, metrics: first.core.stage, secondStage, hints };
}

function shapePipeline(stages: G[]): Pipeline {
  const elements: PipelineElement[] = stages.map((s, i) => shapeElement(s, i === 0));
  return { type: 'pipeline', elements };
}

function isScalarish(g: G): boolean {
  const s = stripParens(g);
  if (s.k === 'agg' || s.k === 'num') return true;
  if (s.k === 'bin' && ARITH.has(s.op)) return true;
  if (s.k === 'bin' && s.op === '|') {
    const last = stripParens(flattenPipes(s).at(-1)!);
    return last.k === 'agg';
  }
  return false;
}

function shapeElement(g: G, first: boolean): PipelineElement {
  switch (g.k) {
    case 'filter':
      return g.f;
    case 'by':
      return { type: 'by', expr: g.expr };
    case 'select':
      return { type: 'select', attrs: g.attrs };
    case 'coalesce':
      if (first) fail(g.pos, 'coalesce() follows a by(): `{ … } | by(…) | coalesce()`');
      return { type: 'coalesce' };
    case 'agg':
      return fail(g.pos, `${g.agg.op}() needs a comparison, e.g. \`| ${g.agg.op}() > 2\``);
    case 'num':
      return fail(g.pos, 'a number on its own is not a pipeline stage');
    case 'metrics':
    case 'second':
      return fail(g.pos, 'a metrics function must be the last stage after the spans it counts');
    case 'paren': {
      const inner = g.inner;
      if (inner.k === 'bin' && inner.op === '|') return shapePipeline(flattenPipes(inner));
      return shapeElement(inner, first);
    }
    case 'bin': {
      if (COMPARE.has(g.op) && (isScalarish(g.l) || isScalarish(g.r))) {
        return { type: 'scalarFilter', op: g.op as CompareOp, lhs: shapeScalar(g.l), rhs: shapeScalar(g.r) };
      }
      if (g.op === '&&' || g.op === '||' || STRUCTURAL.has(g.op)) {
        return { type: 'spansetOp', op: g.op as SpansetOp, lhs: shapeSpanset(g.l), rhs: shapeSpanset(g.r) };
      }
      return fail(
        g.pos,
        `\`${g.op}\` cannot combine span filters: use &&, ||, or a structural operator such as >>`,
      );
    }
  }
}

function shapeSpanset(g: G): SpansetElement {
  const s = g.k === 'paren' && g.inner.k === 'bin' && g.inner.op === '|' ? g : stripParens(g);
  if (s.k === 'filter') return s.f;
  if (s.k === 'paren') return shapePipeline(flattenPipes(s.inner));
  if (
    s.k === 'bin' &&
    (s.op === '&&' || s.op === '||' || STRUCTURAL.has(s.op)) &&
    !isScalarish(s.l) &&
    !isScalarish(s.r)
  ) {
    return { type: 'spansetOp', op: s.op as SpansetOp, lhs: shapeSpanset(s.l), rhs: shapeSpanset(s.r) };
  }
  fail(s.pos, 'expected a span filter `{ … }` on each side of the operator');
}

function shapeScalar(g: G): ScalarExpr {
  const s = stripParens(g);
  if (s.k === 'agg') return s.agg;
  if (s.k === 'num') return { type: 'scalarStatic', value: s.value };
  if (s.k === 'bin' && ARITH.has(s.op)) {
    return { type: 'scalarOp', op: s.op as '+', lhs: shapeScalar(s.l), rhs: shapeScalar(s.r) };
  }
  if (s.k === 'bin' && s.op === '|')
    return { type: 'scalarPipeline', pipeline: shapePipeline(flattenPipes(s)) };
  fail(s.pos, 'expected an aggregate such as count() or a number');
}

/** Parses and validates a query. Throws QueryError for anything Tempo would refuse. */
export function parseQuery(text: string): Query {
  if (text.trim() === '')
    throw new QueryError('parse', 'the query is empty: start with a span filter such as { }', 1, 1);
  const tokens = tokenize(text);
  const parser = new Parser(tokens);
  let root: Query;
  try {
    root = parser.parseRoot(text);
  } catch (e) {
    // `{ foo.bar = 1 }`: the unknown word explains the error better than what follows it.
    if (e instanceof QueryError && parser.firstUnknown) throw parser.firstUnknown;
    throw e;
  }
  const query = foldConstants(root);
  validateQuery(query);
  return query;
}
