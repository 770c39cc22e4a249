// The order confirmation job: enqueued by checkout, run by an in-process worker. The message carries the
// checkout's trace context (W3C headers) so the job continues its trace — unless the scenario loses it.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from '../log.ts';

interface ConfirmationJob {
  orderId: string;
  headers: Record<string, string>;
}

const tracer = trace.getTracer('sample-app/api');

export function createOrderJobs(db: pg.Pool, log: Logger, propagateContext: boolean) {
  const queue: ConfirmationJob[] = [];
  let pending = Promise.resolve();

  async function run(job: ConfirmationJob): Promise<void> {
    const parent = propagateContext ? propagation.extract(ROOT_CONTEXT, job.headers) : ROOT_CONTEXT;
    await tracer.startActiveSpan(
      'order.confirm',
      {
        kind: SpanKind.CONSUMER,
        attributes: { 'app.order.id': job.orderId, 'messaging.system': 'in-process' },
      },
      parent,
      async (span) => {
        try {
          await db.query("UPDATE orders SET status = 'confirmed' WHERE id = $1", [job.orderId]);
          log.info('order confirmed', { order_id: job.orderId });
        } catch (e) {
          span.recordException(e as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
          log.error('order confirmation failed', { order_id: job.orderId, error: (e as Error).message });
        } finally {
          span.end();
        }
      },
    );
  }

  return {
    enqueue(orderId: string): void {
      const headers: Record<string, string> = {};
      propagation.inject(context.active(), headers);
      queue.push({ orderId, headers });
      // Runs after the checkout response, like a real queue consumer would.
      setTimeout(() => {
        const job = queue.shift();
        if (job) pending = pending.then(() => run(job));
      }, 20);
    },
    drain: () => pending,
  };
}
