// How OTLP/JSON, and so Tempo's trace-by-id JSON, spells what the protobuf holds as numbers and bytes:
// span kinds and status codes by their enum names, trace and span ids in base64.

/** SpanKind's names, indexed by its number. */
export const spanKindNames = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;

/** Status.code's names, indexed by its number. */
export const statusCodeNames = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;

/** A trace or span id from hex to base64. */
export const base64Id = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
