// An estimate of the memory a span holds, for the size budget and the per-trace limit. Counted from the
// span's own content; its resource and scope are shared by every span of a request, so they are not.
import type { Attributes, AttrValue, Span } from '@dojo/traceql';

// Rough V8 costs: a span object with its ~20 fields, a map entry, an event or link object.
const spanOverhead = 200;
const entryOverhead = 40;
const nestedOverhead = 64;

function valueBytes(v: AttrValue): number {
  if (typeof v === 'string') return 16 + v.length;
  if (Array.isArray(v)) {
    let n = 16;
    for (const item of v) n += typeof item === 'string' ? 16 + item.length : 16;
    return n;
  }
  return 16;
}

export function attributesBytes(attrs: Attributes): number {
  let n = 0;
  for (const [key, value] of attrs) n += entryOverhead + key.length + valueBytes(value);
  return n;
}

export function spanBytes(span: Span): number {
  let n = spanOverhead + span.name.length + span.statusMessage.length + attributesBytes(span.attrs);
  for (const event of span.events) n += nestedOverhead + event.name.length + attributesBytes(event.attrs);
  for (const link of span.links) n += nestedOverhead + attributesBytes(link.attrs);
  return n;
}
