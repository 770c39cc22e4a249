// Tempo's regexes are Go RE2, fully anchored. JavaScript's engine reads the RE2 syntax the lab's
// queries use; the few RE2-only forms are translated, and results are cached per pattern.

const cache = new Map<string, RegExp>();

export class RegexError extends Error {}

function translate(src: string): string {
  // RE2 spells named groups (?P<name>…); JavaScript spells them (?<name>…).
  const out = src.replace(/\(\?P</g, '(?<');
  // RE2 allows leading inline flags (?i) / (?s) / (?m); JavaScript takes them as RegExp flags.
  return out;
}

export function compileRegex(src: string): RegExp {
  const hit = cache.get(src);
  if (hit) return hit;
  let body = translate(src);
  let flags = '';
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    body = body.slice(inline[0].length);
    if (inline[1]!.includes('i')) flags += 'i';
    if (inline[1]!.includes('m')) flags += 'm';
    if (inline[1]!.includes('s')) flags += 's';
  }
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${body})$`, flags);
  } catch (e) {
    // JavaScript names the whole compiled pattern; keep only its reason.
    throw new RegexError((e as Error).message.replace(/^.*: /, '').toLowerCase());
  }
  if (cache.size > 1000) cache.clear();
  cache.set(src, re);
  return re;
}
