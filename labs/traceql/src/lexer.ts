// TraceQL's lexer, written to split text exactly where Tempo 3.0.3's does: keywords glued to ':' or
// '.' become scopes, an attribute name runs until a character that cannot be in one, a number
// followed by unit letters is a duration (Prometheus or Go syntax). Hand-written because no library
// tokenizes TraceQL the way Tempo does (Grafana's Lezer grammar differs on durations, `.5`,
// nestedSet*, maxInt, hints and metrics filters).

import { parseDurationText } from './duration.ts';
import { QueryError } from './errors.ts';

export type TokenType =
  | 'ident'
  | 'string'
  | 'int'
  | 'float'
  | 'duration'
  | 'attr' // an attribute name after a scope token
  | 'endattr'
  | 'op' // punctuation and operators
  | 'kw' // keywords from the token map
  | 'eof';

export interface Token {
  readonly type: TokenType;
  /** For 'op' and 'kw' the canonical text; for 'ident'/'attr'/'string' the value. */
  readonly text: string;
  readonly int?: bigint;
  readonly float?: number;
  /** Duration in nanoseconds. */
  readonly nanos?: bigint;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

const OPERATORS = new Set([
  ',',
  '.',
  '{',
  '}',
  '(',
  ')',
  '=',
  '!=',
  '=~',
  '!~',
  '>',
  '>=',
  '<',
  '<=',
  '+',
  '-',
  '/',
  '%',
  '*',
  '^',
  '&&',
  '||',
  '!',
  '|',
  '>>',
  '<<',
  '~',
  '!>',
  '!<',
  '!>>',
  '!<<',
  '&~',
  '&>',
  '&<',
  '&>>',
  '&<<',
]);

export const KEYWORDS = new Set([
  'true',
  'false',
  'nil',
  'ok',
  'error',
  'unset',
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
  'duration',
  'childCount',
  'name',
  'status',
  'statusMessage',
  'kind',
  'rootName',
  'rootServiceName',
  'rootService',
  'traceDuration',
  'nestedSetLeft',
  'nestedSetRight',
  'nestedSetParent',
  'id',
  'traceID',
  'spanID',
  'parentID',
  'timeSinceStart',
  'version',
  'parent',
  'parent.',
  'resource.',
  'span.',
  'trace:',
  'span:',
  'event:',
  'link:',
  'instrumentation:',
  'event.',
  'link.',
  'instrumentation.',
  'count',
  'avg',
  'max',
  'min',
  'sum',
  'by',
  'coalesce',
  'select',
  'rate',
  'count_over_time',
  'min_over_time',
  'max_over_time',
  'avg_over_time',
  'sum_over_time',
  'quantile_over_time',
  'histogram_over_time',
  'compare',
  'topk',
  'bottomk',
  'with',
]);

const ATTRIBUTE_SCOPES = new Set([
  '.',
  'resource.',
  'span.',
  'parent.',
  'event.',
  'link.',
  'instrumentation.',
]);

function isKnown(text: string): boolean {
  return OPERATORS.has(text) || KEYWORDS.has(text);
}

function isSpace(c: string): boolean {
  return /\s/u.test(c);
}

function isAttributeChar(c: string | undefined): boolean {
  if (c === undefined || isSpace(c)) return false;
  return !'{}()=~!<>&|^,'.includes(c);
}

const DIGIT = /[0-9]/;
const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_]/u;
const DURATION_CHAR = /[0-9.nsumhµdwy]/u;

export function tokenize(src: string): Token[] {
  const chars = Array.from(src);
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let column = 1;
  let attributeNext = false;
  let scope = '';

  const advance = (): string => {
    const c = chars[i++]!;
    if (c === '\n') {
      line++;
      column = 1;
    } else column++;
    return c;
  };
  const fail = (message: string, l = line, c = column): never => {
    throw new QueryError('parse', message, l, c);
  };

  while (true) {
    if (attributeNext) {
      attributeNext = false;
      const start = { line, column, offset: i };
      if (!isAttributeChar(chars[i])) {
        tokens.push({ type: 'endattr', text: '', ...start });
        continue;
      }
      // parent.span.x / parent.resource.x: a second scope directly after parent.
      if (scope === 'parent.') {
        const rest = chars.slice(i, i + 10).join('');
        const m = /^(span\.|resource\.)/.exec(rest);
        if (m) {
          for (let k = 0; k < m[1]!.length; k++) advance();
          tokens.push({ type: 'kw', text: m[1]!, ...start });
          scope = m[1]!;
          attributeNext = true;
          continue;
        }
      }
      let name = '';
      while (isAttributeChar(chars[i])) {
        if (chars[i] === '"') {
          advance();
          let closed = false;
          while (i < chars.length) {
            const c = advance();
            if (c === '"') {
              closed = true;
              break;
            }
            if (c === '\\') {
              const next = chars[i];
              if (next === '"' || next === '\\') name += advance();
              else fail('invalid escape sequence in a quoted attribute name (only \\" and \\\\ are allowed)');
            } else name += c;
          }
          if (!closed) fail('a quoted attribute name is not closed: a `"` is missing');
        } else name += advance();
      }
      tokens.push({ type: 'attr', text: name, ...start });
      if (!isAttributeChar(chars[i])) tokens.push({ type: 'endattr', text: '', line, column, offset: i });
      continue;
    }

    // whitespace and comments
    while (i < chars.length) {
      const c = chars[i]!;
      if (isSpace(c)) advance();
      else if (c === '/' && chars[i + 1] === '/') while (i < chars.length && chars[i] !== '\n') advance();
      else if (c === '/' && chars[i + 1] === '*') {
        const l = line;
        const col = column;
        advance();
        advance();
        while (i < chars.length && !(chars[i] === '*' && chars[i + 1] === '/')) advance();
        if (i >= chars.length) fail('a comment is not closed: `*/` is missing', l, col);
        advance();
        advance();
      } else break;
    }
    const start = { line, column, offset: i };
    if (i >= chars.length) {
      tokens.push({ type: 'eof', text: '', ...start });
      return tokens;
    }
    const c = chars[i]!;

    if (c === '"' || c === '`') {
      tokens.push({ type: 'string', text: readString(), ...start });
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(chars[i + 1] ?? ''))) {
      tokens.push(readNumber(start));
      continue;
    }

    let text: string;
    if (IDENT_START.test(c)) {
      text = '';
      while (i < chars.length && IDENT_PART.test(chars[i]!)) text += advance();
    } else if (c === "'") {
      // A Go char literal: Tempo reads it as an identifier, then refuses it as unknown.
      text = advance();
      while (i < chars.length && chars[i] !== "'" && chars[i] !== '\n') text += advance();
      if (chars[i] === "'") text += advance();
    } else text = advance();
    // Extend by one character at a time while the longer text is still a known token.
    while (i < chars.length && isKnown(text + chars[i])) text += advance();

    if (isKnown(text)) {
      const type: TokenType = OPERATORS.has(text) ? 'op' : 'kw';
      tokens.push({ type, text, ...start });
      if (ATTRIBUTE_SCOPES.has(text)) {
        attributeNext = true;
        scope = text;
      }
    } else {
      tokens.push({ type: 'ident', text, ...start });
    }
  }

  function readString(): string {
    const quote = chars[i]!;
    const l = line;
    const col = column;
    advance();
    let out = '';
    while (true) {
      if (i >= chars.length || (quote === '"' && chars[i] === '\n')) {
        fail('a string is not closed: a `"` is missing', l, col);
      }
      const ch = advance();
      if (ch === quote) return out;
      if (quote === '`' || ch !== '\\') {
        out += ch;
        continue;
      }
      const e = i < chars.length ? advance() : '';
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '\\': '\\',
        '"': '"',
        a: '\x07',
        b: '\b',
        f: '\f',
        v: '\v',
      };
      if (e in simple) out += simple[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = chars.slice(i, i + len).join('');
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex))
          fail(`invalid escape \\${e}${hex} in a string`, l, col);
        for (let k = 0; k < len; k++) advance();
        out += String.fromCodePoint(Number.parseInt(hex, 16));
      } else if (/[0-7]/.test(e)) {
        const oct = e + chars.slice(i, i + 2).join('');
        if (!/^[0-7]{3}$/.test(oct)) fail(`invalid escape \\${oct} in a string`, l, col);
        advance();
        advance();
        out += String.fromCharCode(Number.parseInt(oct, 8));
      } else {
        fail(`invalid escape \\${e} in a string: write \\\\ for a backslash`, l, col);
      }
    }
  }

  function readNumber(start: { line: number; column: number; offset: number }): Token {
    let text = '';
    let isFloat = false;
    while (i < chars.length && /[0-9_]/.test(chars[i]!)) text += advance();
    if (chars[i] === '.' && DIGIT.test(chars[i + 1] ?? '')) {
      isFloat = true;
      text += advance();
      while (i < chars.length && DIGIT.test(chars[i]!)) text += advance();
    } else if (chars[i] === '.' && !DIGIT.test(chars[i + 1] ?? '') && text !== '') {
      // "1." is a float in Go's scanner
      isFloat = true;
      text += advance();
    }
    if ((chars[i] === 'e' || chars[i] === 'E') && /[0-9+-]/.test(chars[i + 1] ?? '')) {
      const save = { i, line, column };
      let exp = advance();
      if (chars[i] === '+' || chars[i] === '-') exp += advance();
      if (DIGIT.test(chars[i] ?? '')) {
        while (i < chars.length && DIGIT.test(chars[i]!)) exp += advance();
        text += exp;
        isFloat = true;
      } else {
        i = save.i;
        line = save.line;
        column = save.column;
      }
    }
    // A number glued to unit letters is a duration, when the whole run parses as one.
    let j = i;
    while (j < chars.length && !isSpace(chars[j]!) && DURATION_CHAR.test(chars[j]!)) j++;
    if (j > i) {
      const nanos = parseDurationText(text + chars.slice(i, j).join(''));
      if (nanos !== undefined) {
        while (i < j) advance();
        return { type: 'duration', text, nanos, ...start };
      }
    }
    if (isFloat) return { type: 'float', text, float: Number(text.replaceAll('_', '')), ...start };
    if (!/^\d+$/.test(text)) fail(`${text} is not a number TraceQL can read`, start.line, start.column);
    const int = BigInt(text);
    if (int > 9223372036854775807n)
      fail(`${text} is beyond the largest integer (maxInt)`, start.line, start.column);
    return { type: 'int', text, int, ...start };
  }
}
