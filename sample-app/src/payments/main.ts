// payments: a stub of the external payments vendor. It emits no spans (it is not ours); the scenario
// decides how often it is slow (1.5-3 s) or fails (HTTP 503).
import { randomUUID } from 'node:crypto';
import express from 'express';
import { createLogger } from '../log.ts';
import { serve } from '../server.ts';
import { settingsOrExit } from '../settings.ts';

const settings = settingsOrExit('payments');
const { paymentsSlowShare, paymentsFailShare } = settings.faults;
const log = createLogger('payments');
const app = express();
app.use(express.json());

app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});

app.post('/charge', async (req, res) => {
  const body = req.body as { orderId?: string; amountCents?: number };
  if (typeof body.amountCents !== 'number' || body.amountCents <= 0) {
    return void res.status(400).json({ error: 'amountCents must be a positive number' });
  }
  const delayMs = Math.random() < paymentsSlowShare ? 1500 + Math.random() * 1500 : 15 + Math.random() * 25;
  await new Promise((r) => setTimeout(r, delayMs));
  if (Math.random() < paymentsFailShare) {
    log.warn('charge failed', { order: body.orderId });
    return void res.status(503).json({ error: 'payment processor unavailable' });
  }
  res.json({ reference: `pay_${randomUUID().slice(0, 12)}`, amountCents: body.amountCents });
});

serve(app, settings.port, 'payments', log);
