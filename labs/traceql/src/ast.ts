// The typed AST of a TraceQL query, shaped like Tempo's: field expressions inside `{ }`, spanset
// expressions and pipelines around them, scalar filters, and an optional metrics stage.

export type AttributeScope = 'none' | 'span' | 'resource' | 'event' | 'link' | 'instrumentation';

export type Intrinsic =
  | 'duration'
  | 'name'
  | 'status'
  | 'statusMessage'
  | 'kind'
  | 'childCount'
  | 'parent'
  | 'traceDuration'
  | 'rootServiceName'
  | 'rootName'
  | 'nestedSetLeft'
  | 'nestedSetRight'
  | 'nestedSetParent'
  | 'trace:id'
  | 'span:id'
  | 'span:parentID'
  | 'event:name'
  | 'event:timeSinceStart'
  | 'link:traceID'
  | 'link:spanID'
  | 'instrumentation:name'
  | 'instrumentation:version';

/** A value with its TraceQL type. Ints are exact int64 (bigint); durations are nanoseconds. */
export type Static =
  | { readonly t: 'nil' }
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'float'; readonly v: number }
  | { readonly t: 'string'; readonly v: string }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'duration'; readonly v: bigint }
  | { readonly t: 'status'; readonly v: 'error' | 'ok' | 'unset' }
  | {
      readonly t: 'kind';
      readonly v: 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
    }
  | { readonly t: 'intArray'; readonly v: readonly bigint[] }
  | { readonly t: 'floatArray'; readonly v: readonly number[] }
  | { readonly t: 'stringArray'; readonly v: readonly string[] }
  | { readonly t: 'boolArray'; readonly v: readonly boolean[] };

export type StaticType = Static['t'] | 'attribute' | 'spanset';

export type FieldOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '=~'
  | '!~'
  | '&&'
  | '||';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export type FieldExpr =
  | { readonly type: 'static'; readonly value: Static; readonly pos: Position }
  | {
      readonly type: 'attribute';
      readonly scope: AttributeScope;
      readonly name: string;
      readonly parent: boolean;
      readonly pos: Position;
    }
  | { readonly type: 'intrinsic'; readonly name: Intrinsic; readonly pos: Position }
  | {
      readonly type: 'binary';
      readonly op: FieldOp;
      readonly lhs: FieldExpr;
      readonly rhs: FieldExpr;
      readonly pos: Position;
    }
  | {
      readonly type: 'unary';
      readonly op: '-' | '!' | 'exists' | 'notExists';
      readonly expr: FieldExpr;
      readonly pos: Position;
    };

export type StructuralOp =
  | '>'
  | '<'
  | '>>'
  | '<<'
  | '~'
  | '!>'
  | '!<'
  | '!>>'
  | '!<<'
  | '!~'
  | '&>'
  | '&<'
  | '&>>'
  | '&<<'
  | '&~';

export type SpansetOp = '&&' | '||' | StructuralOp;

export interface SpansetFilter {
  readonly type: 'filter';
  readonly expr: FieldExpr;
}

export interface SpansetOperation {
  readonly type: 'spansetOp';
  readonly op: SpansetOp;
  readonly lhs: SpansetElement;
  readonly rhs: SpansetElement;
}

/** What a spanset operator combines: filters, other operations, or a parenthesized pipeline. */
export type SpansetElement = SpansetFilter | SpansetOperation | Pipeline;

export type AggregateOp = 'count' | 'avg' | 'max' | 'min' | 'sum';

export interface Aggregate {
  readonly type: 'aggregate';
  readonly op: AggregateOp;
  readonly expr: FieldExpr | undefined;
}

export type ScalarExpr =
  | Aggregate
  | { readonly type: 'scalarStatic'; readonly value: Static }
  | {
      readonly type: 'scalarOp';
      readonly op: '+' | '-' | '*' | '/' | '%' | '^';
      readonly lhs: ScalarExpr;
      readonly rhs: ScalarExpr;
    }
  | { readonly type: 'scalarPipeline'; readonly pipeline: Pipeline };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface ScalarFilter {
  readonly type: 'scalarFilter';
  readonly op: CompareOp;
  readonly lhs: ScalarExpr;
  readonly rhs: ScalarExpr;
}

export interface GroupBy {
  readonly type: 'by';
  readonly expr: FieldExpr;
}

export interface Select {
  readonly type: 'select';
  readonly attrs: readonly FieldExpr[];
}

export interface Coalesce {
  readonly type: 'coalesce';
}

export type PipelineElement =
  | SpansetFilter
  | SpansetOperation
  | Pipeline
  | ScalarFilter
  | GroupBy
  | Select
  | Coalesce;

export interface Pipeline {
  readonly type: 'pipeline';
  readonly elements: readonly PipelineElement[];
}

export type MetricsFunction =
  | 'rate'
  | 'count_over_time'
  | 'min_over_time'
  | 'max_over_time'
  | 'sum_over_time'
  | 'avg_over_time'
  | 'quantile_over_time'
  | 'histogram_over_time'
  | 'compare';

export interface MetricsStage {
  readonly fn: MetricsFunction;
  /** The measured attribute (duration, span.x, …) for the *_over_time functions. */
  readonly attr: FieldExpr | undefined;
  readonly by: readonly FieldExpr[];
  readonly quantiles: readonly number[];
  /** compare(): the selection filter, top N values, start and end (unix ns; 0 = the query's). */
  readonly compare?: {
    readonly filter: SpansetFilter;
    readonly topN: number;
    readonly start: bigint;
    readonly end: bigint;
  };
}

export type SecondStage =
  | { readonly type: 'topk' | 'bottomk'; readonly n: number }
  | { readonly type: 'filter'; readonly op: CompareOp; readonly value: number };

export type HintValue = Static;

export interface Query {
  readonly text: string;
  /** The spanset part: what /api/search evaluates, and what metrics count. */
  readonly pipeline: Pipeline;
  /** Set when the query is a scalar comparison of two pipelines: Tempo parses but cannot run it. */
  readonly metrics: MetricsStage | undefined;
  readonly secondStage: readonly SecondStage[];
  readonly hints: ReadonlyMap<string, HintValue>;
}
