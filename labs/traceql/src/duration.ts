// Duration literals as Tempo reads them: Prometheus syntax first (1h30m, 2d, 1w, 1y), then Go's
// (1.5s, 250us, 1µs, 2h45m). Values are nanoseconds.

const UNIT_NS: Record<string, bigint> = {
  y: 365n * 24n * 3600n * 1_000_000_000n,
  w: 7n * 24n * 3600n * 1_000_000_000n,
  d: 24n * 3600n * 1_000_000_000n,
  h: 3600n * 1_000_000_000n,
  m: 60n * 1_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ns: 1n,
};

const PROM = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

function promDuration(text: string): bigint | undefined {
  if (text === '' || text === '0') return text === '0' ? 0n : undefined;
  const m = PROM.exec(text);
  if (!m) return undefined;
  const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  let total = 0n;
  let any = false;
  units.forEach((u, k) => {
    const v = m[k + 1];
    if (v !== undefined) {
      any = true;
      total += BigInt(v) * UNIT_NS[u]!;
    }
  });
  return any ? total : undefined;
}

function goDuration(text: string): bigint | undefined {
  if (text === '0') return 0n;
  const re = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m || (m[1] === '' && (m[2] === undefined || m[2] === ''))) return undefined;
    const whole = Number(m[1] || '0');
    const frac = m[2] ? Number(`0.${m[2]}`) : 0;
    total += (whole + frac) * Number(UNIT_NS[m[3]!]!);
    pos = re.lastIndex;
  }
  return pos === 0 ? undefined : BigInt(Math.round(total));
}

export function parseDurationText(text: string): bigint | undefined {
  return promDuration(text) ?? goDuration(text);
}
