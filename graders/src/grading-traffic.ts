// Puts the questions' designed traces into the learner's Tempo before grading: one OTLP/HTTP push
// (JSON, which the lab's store and a real Tempo both take), then polling TraceQL search until every
// pushed trace is searchable whole inside the grading window — search lags by-id by 1-3 s on Tempo.
import { defaultVariant, portsFor, tempoUrl, UserError, type Variant } from '@dojo/course';
import { type FixtureFile, loadFixtures, type PlacedTrace, placeFixtures } from './fixture-files.ts';
import { fixturesForVariant } from './fixture-variants.ts';
import type { SearchOptions, TempoClient } from './tempo-client.ts';

/**
 * Where to push: the lab's OTLP/HTTP port, or, with TEMPO_URL set, OTEL_EXPORTER_OTLP_ENDPOINT (what
 * `lab up --external-tempo` sends to) or else TEMPO_URL's host with the lab's port layout.
 */
export function otlpUrl(env: NodeJS.ProcessEnv = process.env): string {
  const ports = portsFor(env);
  if (!env.TEMPO_URL) return `http://localhost:${ports.otlpHttp}`;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '');
  const tempo = new URL(tempoUrl(env));
  const port = Number(tempo.port || (tempo.protocol === 'https:' ? 443 : 80));
  tempo.port = String(port - ports.tempoHttp + ports.otlpHttp);
  return tempo.origin;
}

const tellMe = 'set OTEL_EXPORTER_OTLP_ENDPOINT to the OTLP/HTTP endpoint of the Tempo at TEMPO_URL';

export async function pushTraces(endpoint: string, body: object, tenant?: string): Promise<void> {
  const url = `${endpoint}/v1/traces`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(tenant ? { 'x-scope-orgid': tenant } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new UserError(`cannot send the grading traces to Tempo's OTLP endpoint ${url}; ${tellMe}`);
  }
  const text = await res.text();
  if (!res.ok)
    throw new UserError(
      `Tempo's OTLP endpoint ${url} refused the grading traces (HTTP ${res.status}${text ? `: ${text.trim().split('\n')[0]!.slice(0, 160)}` : ''}); ${tellMe}`,
    );
  const rejected = /"rejectedSpans"\s*:\s*"?(\d+)/.exec(text)?.[1];
  if (rejected && rejected !== '0')
    throw new UserError(`Tempo's OTLP endpoint ${url} refused ${rejected} of the grading traces' spans`);
}

/** Waits until each trace is found by search with all its spans, in the window the grade will use. */
export async function untilSearchable(
  tempo: TempoClient,
  traces: PlacedTrace[],
  window: SearchOptions,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let waiting = traces;
  while (waiting.length > 0) {
    const found = new Map<string, number>();
    for (let i = 0; i < waiting.length; i += 20) {
      const ids = waiting.slice(i, i + 20).map((t) => `trace:id = "${t.traceId}"`);
      const q = `{ ${ids.join(' || ')} }`;
      for (const m of await tempo.search(q, { ...window, limit: 100, spss: 1 }))
        found.set(m.traceId, m.matched);
    }
    waiting = waiting.filter((t) => found.get(t.traceId) !== t.spans);
    if (waiting.length === 0) return;
    if (Date.now() > deadline)
      throw new UserError(
        `Tempo at ${tempo.baseUrl} did not make ${waiting.length} of the ${traces.length} grading traces searchable within ${timeoutMs / 1000} s; are TEMPO_URL and the OTLP endpoint the same Tempo? (${tellMe})`,
      );
    // Poll, do not guess: on the store the first round finds everything; a real Tempo needs a few seconds.
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The fixtures of these questions (those that have any), pushed to end at `endMs` and searchable. */
export async function loadGradingTraffic(
  tempo: TempoClient,
  endpoint: string,
  questionIds: string[],
  endMs: number,
  window: SearchOptions,
  variant: Variant = defaultVariant,
): Promise<PlacedTrace[]> {
  const files = questionIds.flatMap((id): FixtureFile[] => {
    try {
      return [fixturesForVariant(loadFixtures(id), variant)];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  });
  if (files.length === 0) return [];
  const { body, traces } = placeFixtures(files, endMs);
  await pushTraces(endpoint, body, tempo.tenant);
  await untilSearchable(tempo, traces, window);
  return traces;
}
