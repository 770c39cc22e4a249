// Colours for the query editor, from the engine's own lexer (so a colour never disagrees with how the
// parser splits the text), and the range an error points at. Offsets are UTF-16, as a textarea counts.
import { type Token, tokenize } from '@dojo/traceql/lexer';

export type TokenClass =
  | 'attr'
  | 'intrinsic'
  | 'value'
  | 'fn'
  | 'string'
  | 'number'
  | 'brace'
  | 'op'
  | 'plain';

export interface Segment {
  from: number;
  to: number;
  cls: TokenClass;
  /** Set on the segment the error points at. */
  error?: boolean;
}

const VALUES = new Set(
  'true false nil ok error unset unspecified internal server client producer consumer'.split(' '),
);
const FUNCTIONS = new Set(
  'count avg max min sum by coalesce select rate count_over_time min_over_time max_over_time avg_over_time sum_over_time quantile_over_time histogram_over_time compare topk bottomk with'.split(
    ' ',
  ),
);
const OP_CHARS = '{}()=~!<>&|^,/*%+-';

function classOf(t: Token, prev: Token | undefined): TokenClass {
  switch (t.type) {
    case 'attr':
      return 'attr';
    case 'string':
      return 'string';
    case 'int':
    case 'float':
    case 'duration':
      return 'number';
    case 'op':
      if (t.text === '.' && prev?.type !== 'attr') return 'attr';
      return t.text === '{' || t.text === '}' ? 'brace' : 'op';
    case 'kw':
      if (/[.:]$/.test(t.text)) return 'attr';
      if (VALUES.has(t.text)) return 'value';
      if (FUNCTIONS.has(t.text)) return 'fn';
      return 'intrinsic';
    default:
      return 'plain';
  }
}

/** Where a token ends, in code points: the lexer gives starts only. */
function tokenEnd(chars: string[], t: Token, limit: number): number {
  let i = t.offset;
  const quoted = () => {
    const q = chars[i++];
    while (i < limit && chars[i] !== q) i += chars[i] === '\\' ? 2 : 1;
    i++;
  };
  if (t.type === 'string') quoted();
  else if (t.type === 'attr') {
    while (i < limit && !/\s/u.test(chars[i]!) && !'{}()=~!<>&|^,'.includes(chars[i]!)) {
      if (chars[i] === '"') quoted();
      else i++;
    }
  } else if (t.type === 'int' || t.type === 'float' || t.type === 'duration') {
    while (i < limit && !/\s/u.test(chars[i]!) && !OP_CHARS.includes(chars[i]!)) i++;
  } else i += Array.from(t.text).length;
  return Math.min(Math.max(i, t.offset + 1), limit);
}

/** UTF-16 offset of each code point index (and of the end). */
function utf16Offsets(chars: string[]): number[] {
  const out = [0];
  for (const c of chars) out.push(out.at(-1)! + c.length);
  return out;
}

/** The code point index a 1-based line and column (as the engine reports them) point at. */
function offsetOf(text: string, line: number, column: number): number {
  const chars = Array.from(text);
  let l = 1;
  let i = 0;
  while (i < chars.length && l < line) if (chars[i++] === '\n') l++;
  return Math.min(i + column - 1, chars.length);
}

/**
 * The text cut into coloured segments (gaps are plain), with the error's range marked: the token that
 * starts where the error points, else the rest of that line, else (at the very end) an empty segment.
 */
export function highlight(text: string, error?: { line?: number; column?: number }): Segment[] {
  const chars = Array.from(text);
  const at = utf16Offsets(chars);
  let tokens: Token[] = [];
  try {
    tokens = tokenize(text).filter((t) => t.type !== 'eof' && t.type !== 'endattr');
  } catch {
    // An unlexable text (an unclosed string, say) is drawn plain; the parser's error says why.
  }
  const ranges: { from: number; to: number; cls: TokenClass }[] = [];
  tokens.forEach((t, k) => {
    const limit = tokens[k + 1]?.offset ?? chars.length;
    ranges.push({ from: t.offset, to: tokenEnd(chars, t, limit), cls: classOf(t, tokens[k - 1]) });
  });
  let errFrom = -1;
  let errTo = -1;
  if (error?.line !== undefined && error.column !== undefined) {
    errFrom = offsetOf(text, error.line, error.column);
    const token = ranges.find((r) => r.from === errFrom);
    const eol = chars.indexOf('\n', errFrom);
    errTo = token ? token.to : Math.max(errFrom, eol === -1 ? chars.length : eol);
  }
  // Cut points: every range edge and the error's edges.
  const cuts = new Set([0, chars.length]);
  for (const r of ranges) cuts.add(r.from).add(r.to);
  if (errFrom >= 0) cuts.add(errFrom).add(errTo);
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const [from, to] = [points[k]!, points[k + 1]!];
    const cls = ranges.find((r) => r.from <= from && to <= r.to)?.cls ?? 'plain';
    const error = errFrom >= 0 && from >= errFrom && to <= errTo && errTo > errFrom;
    segments.push({ from: at[from]!, to: at[to]!, cls, ...(error ? { error } : {}) });
  }
  if (errFrom >= 0 && errTo === errFrom)
    segments.push({ from: at[errFrom]!, to: at[errFrom]!, cls: 'plain', error: true });
  return segments.sort((a, b) => a.from - b.from || a.to - b.to);
}
