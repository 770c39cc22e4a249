// Trace and span ids for the pipeline's spans: random as usual, except where a later run of the emitter
// must continue a trace it did not keep (a scenario's deploy, rolled back when the lab returns to healthy).
import { createHash, randomBytes } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

/** The ids of a scenario's deploy trace, derived from what the lab remembers: the commit and when it went live. */
export function deployIds(revision: string, liveSince: string): { traceId: string; deploySpanId: string } {
  const digest = (what: string) =>
    createHash('sha256').update(`${what}\0${revision}\0${liveSince}`).digest('hex');
  return { traceId: digest('trace').slice(0, 32), deploySpanId: digest('deploy-production').slice(0, 16) };
}

/** Hands out the ids queued for the next span (the SDK asks when a span starts), otherwise random ones. */
export class ScriptedIds implements IdGenerator {
  nextTraceId: string | undefined;
  nextSpanId: string | undefined;

  generateTraceId(): string {
    const id = this.nextTraceId ?? randomBytes(16).toString('hex');
    this.nextTraceId = undefined;
    return id;
  }

  generateSpanId(): string {
    const id = this.nextSpanId ?? randomBytes(8).toString('hex');
    this.nextSpanId = undefined;
    return id;
  }
}
