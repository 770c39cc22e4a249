// Why a query was refused (by the lab's engine before sending, or by Tempo) and what to write instead:
// a refused answer is a failed answer with a hint, never a stop of the whole grade.

/** The engine's messages end in " — advice"; Tempo's carry none. Known mistakes get a hint either way. */
const known: [RegExp, string][] = [
  [
    /same type: duration\b|duration\s*[<>=!]+\s*["`]/,
    'duration takes a duration literal like 500ms or 1.5s, not a string',
  ],
  [/same type: (trace:)?duration|traceDuration/, 'durations are literals like 500ms or 1.5s, not strings'],
  [/same type: status\b|status\s*!?=\s*["`]/, 'status takes error, ok or unset, without quotes'],
  [
    /same type: kind\b|kind\s*!?=\s*["`]/,
    'kind takes server, client, internal, producer or consumer, without quotes',
  ],
  [/unknown identifier: '/, 'strings take double quotes: "text"'],
  [
    /unknown identifier: (error|ok|unset)\b/,
    'status = error: the keyword belongs to status, which is an intrinsic',
  ],
  [
    /unknown identifier/,
    'attributes start with a scope (span., resource.) or a lone dot, and text values take double quotes',
  ],
  [/regex/i, 'the regular expression does not compile; escape special characters with \\\\'],
  [/spss|spans per span set/, 'the query is fine; this is a limit of the Tempo answering it'],
  [/not a metrics query|metrics/, 'this question asks for a search (span sets), not a metrics query'],
  [/\$end|expected `}`|unclosed/, 'every { needs its } and every ( its )'],
];

export interface Refusal {
  /** one line: who refused it and why */
  found: string;
  hint: string;
}

export function refusal(who: 'engine' | 'tempo', message: string): Refusal {
  const [reason, advice] = message.split(' — ');
  const hint =
    known.find(([re]) => re.test(message))?.[1] ??
    advice ??
    'run it with `dojo query` to see the message in full, and fix the part it points at';
  const found =
    who === 'engine'
      ? `invalid TraceQL, ${reason!.trim()}`
      : `Tempo refused the query: ${reason!.replace(/^Tempo rejected the query:\s*/, '').trim()}`;
  return { found, hint };
}
