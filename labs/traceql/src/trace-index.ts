// Per-trace facts Tempo derives when it stores a trace: root span, start and end, service stats and
// nested-set numbers (left/right bounds of each span's subtree, its parent's left bound, -1 for
// roots). As in Tempo, a trace with no root, or with a span id used more than twice, gets none, and
// spans outside a root's tree (orphans) keep 0 — so structural operators never match them.
import type { Span, Trace } from './model.ts';

export function indexTrace(trace: Trace): void {
  if (trace.indexed) return;
  const spans = trace.spans;
  let start = spans[0]?.startNs ?? 0n;
  let end = 0n;
  let root: Span | undefined;
  const byId = new Map<string, Span[]>();
  let duplicated = false;
  for (const s of spans) {
    if (s.startNs < start) start = s.startNs;
    const e = s.startNs + BigInt(s.durationNs);
    if (e > end) end = e;
    // Tempo reports the last root it stored when a trace has several.
    if (!s.parentSpanId) root = s;
    s.nestedSetLeft = 0;
    s.nestedSetRight = 0;
    s.nestedSetParent = 0;
    s.childCount = 0;
    const same = byId.get(s.spanId);
    if (same) {
      same.push(s);
      if (same.length > 2) duplicated = true;
    } else byId.set(s.spanId, [s]);
  }
  trace.startNs = start;
  trace.endNs = end;
  trace.rootSpan = root;
  trace.ordered = spans
    .slice()
    .sort((a, b) =>
      a.startNs < b.startNs
        ? -1
        : a.startNs > b.startNs
          ? 1
          : a.spanId < b.spanId
            ? -1
            : a.spanId > b.spanId
              ? 1
              : 0,
    );
  trace.indexed = true;
  if (!root || duplicated) return;

  const children = new Map<Span, Span[]>();
  const roots: Span[] = [];
  for (const s of spans) {
    if (!s.parentSpanId) {
      roots.push(s);
      continue;
    }
    const parent = byId.get(s.parentSpanId)?.find((p) => p !== s);
    if (!parent) continue;
    const list = children.get(parent);
    if (list) list.push(s);
    else children.set(parent, [s]);
  }
  for (const [parent, list] of children) parent.childCount = list.length;

  let bound = 1;
  for (const r of roots) {
    r.nestedSetLeft = bound++;
    r.nestedSetParent = -1;
    // Iterative depth-first walk: a ten-thousand-span chain must not overflow the stack.
    const stack: { span: Span; next: number }[] = [{ span: r, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kids = children.get(top.span);
      if (kids && top.next < kids.length) {
        const child = kids[top.next++]!;
        child.nestedSetLeft = bound++;
        child.nestedSetParent = top.span.nestedSetLeft;
        stack.push({ span: child, next: 0 });
      } else {
        top.span.nestedSetRight = bound++;
        stack.pop();
      }
    }
  }
}
