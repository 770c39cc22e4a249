// DORA figures from pipeline traces, as the DORA grader computes them and as it reads a learner's query:
// which changes are "the last N production deploys", their lead times' quantiles, the change failure
// rate, and how close a learner's figure must be (the tolerances the lab states).
import type { TraceMatch } from './tempo-client.ts';

/**
 * One change that reached production: when its trace was complete, and what the query measured. Changes
 * are ordered by completion, not by deploy time: a deploy that gets rolled back is only complete (its
 * outcome known) once the rollback is done, so "the last N deploys" by deploy time would always leave out
 * the ones still being rolled back, and the change failure rate of recent deploys would read zero.
 */
export interface DeployedChange {
  traceId: string;
  completedMs: number;
  /** the matched span's duration: the lead time when the query matches the pipeline run's root span */
  valueMs: number;
}

/** A trace counts only if it was complete (visible) at `asOfMs`: its last span ended by then. */
export const visibleAt = (t: TraceMatch, asOfMs: number, slackMs = 2_000) =>
  t.startMs + t.durationMs <= asOfMs + slackMs;

/**
 * The changes a search answer stands for, one per trace, complete by `asOfMs`, in order of completion.
 * Traces with several matched spans are listed apart: a lead-time query must match one span per change,
 * or it does not say which duration is the lead time.
 */
export function changesOf(
  matches: TraceMatch[],
  asOfMs: number,
): { changes: DeployedChange[]; ambiguous: string[] } {
  const changes: DeployedChange[] = [];
  const ambiguous: string[] = [];
  for (const t of matches) {
    if (!visibleAt(t, asOfMs) || t.spans.length === 0) continue;
    if (t.matched > 1) ambiguous.push(t.traceId);
    // The latest-ending matched span: a retried deploy's failed attempt ends before the one that worked.
    const span = t.spans.reduce((a, b) => (b.startMs + b.durationMs > a.startMs + a.durationMs ? b : a));
    changes.push({ traceId: t.traceId, completedMs: t.startMs + t.durationMs, valueMs: span.durationMs });
  }
  changes.sort((a, b) => a.completedMs - b.completedMs || a.traceId.localeCompare(b.traceId));
  return { changes, ambiguous };
}

export const lastN = <T>(items: T[], n: number): T[] => items.slice(Math.max(0, items.length - n));

/**
 * The range a p-quantile of these values may take under the usual definitions (nearest rank, linear
 * interpolation, Excel's inclusive and exclusive): between the two values either side of it.
 */
export function quantileRange(values: number[], p: number): { low: number; high: number; mid: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (i: number) => sorted[Math.min(n - 1, Math.max(0, i))]!;
  const low = at(Math.floor((n - 1) * p));
  const high = at(Math.ceil((n + 1) * p) - 1);
  // Linear interpolation (what most tools print) as the figure to show.
  const h = (n - 1) * p;
  const mid = at(Math.floor(h)) + (h - Math.floor(h)) * (at(Math.ceil(h)) - at(Math.floor(h)));
  return { low: Math.min(low, high), high: Math.max(low, high), mid };
}

/** The stated tolerance around a quantile: its range, widened by 5 % and by 30 s (rounding to minutes). */
export const durationTolerance = { relative: 0.05, absoluteMs: 30_000 };

export function withinQuantile(stated: number, range: { low: number; high: number }): boolean {
  const pad = (v: number) => Math.max(v * durationTolerance.relative, durationTolerance.absoluteMs);
  return stated >= range.low - pad(range.low) && stated <= range.high + pad(range.high);
}

/** A rate over N deploys may be off by one deploy: the last deploy seen moves with the moment of the query. */
export const withinRate = (stated: number, actual: number, n: number) =>
  Math.abs(stated - actual) <= 1 / n + 1e-9;

/** "1 h 5 min" for a learner to read. */
export function formatMinutes(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

export const formatRate = (r: number) => `${(r * 100).toFixed(1).replace(/\.0$/, '')} %`;
