// api's calls to the shipping service (the practical): a quote before payment, a dispatch once the
// order is stored. Only made when SHIPPING_URL is set, i.e. when the lab runs the practical.
import { httpJson } from '../http-client.ts';

export interface Item {
  productId: number;
  quantity: number;
}

export type Quote =
  | { ok: true; costCents: number; weightGrams: number }
  | { ok: false; status: number; reason: string };

export async function quoteShipping(shippingUrl: string, items: Item[]): Promise<Quote> {
  const res = await httpJson<{ costCents?: number; weightGrams?: number; error?: string }>(
    'POST',
    `${shippingUrl}/quotes`,
    { body: { items }, timeoutMs: 5000 },
  );
  if (res.status === 200 && typeof res.body.costCents === 'number')
    return { ok: true, costCents: res.body.costCents, weightGrams: res.body.weightGrams ?? 0 };
  return { ok: false, status: res.status, reason: res.body.error ?? `shipping answered ${res.status}` };
}

/** Hands the order to shipping; the recipient is the customer's name and email, which the carrier needs. */
export async function dispatchOrder(
  shippingUrl: string,
  order: { orderId: string; items: Item[]; recipient: { name: string; email: string } },
): Promise<{ trackingNumber?: string; error?: string }> {
  const res = await httpJson<{ trackingNumber?: string; error?: string }>(
    'POST',
    `${shippingUrl}/shipments`,
    {
      body: order,
      timeoutMs: 5000,
    },
  );
  return res.status === 200
    ? { trackingNumber: res.body.trackingNumber }
    : { error: res.body.error ?? `shipping answered ${res.status}` };
}
