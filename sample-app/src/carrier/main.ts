// carrier: a stub of the parcel carrier's API, the shipping service's own dependency in the practical.
// Like payments it is an external vendor and emits no spans. It wants its API key on every call and
// refuses parcels over the weight limit (422): the failure the practical's grader provokes.
import { randomUUID } from 'node:crypto';
import { carrierApiKey, carrierMaxGrams } from '@dojo/course';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createLogger } from '../log.ts';
import { serve } from '../server.ts';
import { settingsOrExit } from '../settings.ts';

const settings = settingsOrExit('carrier');
const log = createLogger('carrier');
const key = process.env.CARRIER_API_KEY || carrierApiKey;
const app = express();
app.use(express.json());

app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});

app.use((req: Request, res: Response, next: NextFunction) => {
  if (req.get('authorization') !== `Bearer ${key}`) {
    return void res.status(401).json({ error: 'missing or wrong API key (Authorization: Bearer <key>)' });
  }
  next();
});

/** The parcel's weight from the request, or an answer saying what is wrong with it. */
function parcel(req: Request, res: Response): number | undefined {
  const grams = (req.body as { weightGrams?: unknown }).weightGrams;
  if (typeof grams !== 'number' || !Number.isInteger(grams) || grams <= 0) {
    res.status(400).json({ error: 'weightGrams must be a positive whole number' });
    return undefined;
  }
  if (grams > carrierMaxGrams) {
    log.warn('parcel refused', { weight_grams: grams });
    res.status(422).json({
      error: `parcel of ${(grams / 1000).toFixed(1)} kg is over our ${carrierMaxGrams / 1000} kg limit`,
    });
    return undefined;
  }
  return grams;
}

const pause = () => new Promise((r) => setTimeout(r, 10 + Math.random() * 30));

app.post('/v1/rates', async (req, res) => {
  const grams = parcel(req, res);
  if (grams === undefined) return;
  await pause();
  res.json({ service: 'dojo-post-standard', costCents: 495 + 120 * Math.ceil(grams / 1000) });
});

app.post('/v1/shipments', async (req, res) => {
  const grams = parcel(req, res);
  if (grams === undefined) return;
  const recipient = (req.body as { recipient?: { name?: unknown; email?: unknown } }).recipient;
  if (typeof recipient?.name !== 'string' || typeof recipient.email !== 'string') {
    return void res.status(400).json({ error: 'recipient needs a name and an email' });
  }
  await pause();
  res
    .status(201)
    .json({ trackingNumber: `DP${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}` });
});

serve(app, settings.port, 'carrier', log);
