// Structural relations between two span lists, on Tempo's nested-set numbers. Each returns the
// right-hand spans that relate (or, negated, do not relate) to some left-hand span; the union forms
// return both sides' related spans. Spans without numbers (0: orphans, rootless traces) never relate.
import type { Span } from './model.ts';

function isDescendant(d: Span, a: Span): boolean {
  if (d.nestedSetLeft === 0 || a.nestedSetLeft === 0 || d.nestedSetRight === 0 || a.nestedSetRight === 0)
    return false;
  return d.nestedSetLeft > a.nestedSetLeft && d.nestedSetRight < a.nestedSetRight;
}

function isChild(c: Span, p: Span): boolean {
  return p.nestedSetLeft !== 0 && c.nestedSetParent !== 0 && p.nestedSetLeft === c.nestedSetParent;
}

function isSibling(a: Span, b: Span): boolean {
  return (
    a !== b && a.nestedSetParent !== 0 && b.nestedSetParent !== 0 && a.nestedSetParent === b.nestedSetParent
  );
}

function relation(
  lhs: Span[],
  rhs: Span[],
  related: (l: Span, r: Span) => boolean,
  negate: boolean,
  union: boolean,
): Span[] {
  if (lhs.length === 0 && rhs.length === 0) return [];
  if (union) {
    const out = new Set<Span>();
    for (const r of rhs) {
      for (const l of lhs) {
        if (related(l, r)) {
          out.add(l);
          out.add(r);
        }
      }
    }
    return sortByLeft([...out]);
  }
  const out: Span[] = [];
  for (const r of rhs) {
    const found = lhs.some((l) => related(l, r));
    if (found !== negate) out.push(r);
  }
  return out;
}

function sortByLeft(spans: Span[]): Span[] {
  return spans.sort((a, b) => a.nestedSetLeft - b.nestedSetLeft);
}

/** `>` (invert: `<`): r is a child (parent) of some l. */
export function childOf(lhs: Span[], rhs: Span[], negate: boolean, invert: boolean, union: boolean): Span[] {
  return relation(lhs, rhs, invert ? (l, r) => isChild(l, r) : (l, r) => isChild(r, l), negate, union);
}

/** `>>` (invert: `<<`): r is a descendant (ancestor) of some l. */
export function descendantOf(
  lhs: Span[],
  rhs: Span[],
  negate: boolean,
  invert: boolean,
  union: boolean,
): Span[] {
  return relation(
    lhs,
    rhs,
    invert ? (l, r) => isDescendant(l, r) : (l, r) => isDescendant(r, l),
    negate,
    union,
  );
}

/** `~`: r has a sibling among l (a span is not its own sibling). */
export function siblingOf(lhs: Span[], rhs: Span[], negate: boolean, union: boolean): Span[] {
  return relation(lhs, rhs, (l, r) => isSibling(l, r), negate, union);
}
