// Decodes and explains a W3C traceparent header (version-traceid-parentid-flags), or says what is wrong.

export interface TraceparentParts {
  version: string;
  traceId: string;
  parentId: string;
  flags: string;
  sampled: boolean;
}

export type Decoded = { ok: true; parts: TraceparentParts } | { ok: false; error: string };

export function decodeTraceparent(raw: string): Decoded {
  const value = raw.trim();
  if (value === '')
    return { ok: false, error: 'Paste a traceparent header value, such as 00-<trace id>-<parent id>-01.' };
  const fields = value.split('-');
  if (fields.length !== 4) {
    return {
      ok: false,
      error: `A traceparent has 4 fields separated by "-"; this one has ${fields.length}.`,
    };
  }
  const [version, traceId, parentId, flags] = fields as [string, string, string, string];
  const hex = (s: string, n: number) => s.length === n && /^[0-9a-f]+$/.test(s);
  if (/[A-F]/.test(value))
    return { ok: false, error: 'Hex digits must be lower-case (a-f), as the W3C specification requires.' };
  if (!hex(version, 2)) return { ok: false, error: `The version must be 2 hex digits; got "${version}".` };
  if (version === 'ff') return { ok: false, error: 'Version ff is forbidden by the specification.' };
  if (!hex(traceId, 32))
    return { ok: false, error: `The trace id must be 32 hex digits; got ${traceId.length} characters.` };
  if (/^0+$/.test(traceId))
    return { ok: false, error: 'An all-zero trace id is invalid: it means "no trace".' };
  if (!hex(parentId, 16))
    return { ok: false, error: `The parent id must be 16 hex digits; got ${parentId.length} characters.` };
  if (/^0+$/.test(parentId)) return { ok: false, error: 'An all-zero parent id is invalid.' };
  if (!hex(flags, 2)) return { ok: false, error: `The trace flags must be 2 hex digits; got "${flags}".` };
  return {
    ok: true,
    parts: { version, traceId, parentId, flags, sampled: (Number.parseInt(flags, 16) & 1) === 1 },
  };
}
