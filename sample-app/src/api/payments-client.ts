// api's call to the external payments vendor.
import { httpJson } from '../http-client.ts';

export interface ChargeResult {
  ok: boolean;
  status: number;
  reference?: string;
  reason?: string;
}

export async function charge(
  paymentsUrl: string,
  orderId: string,
  amountCents: number,
): Promise<ChargeResult> {
  const res = await httpJson<{ reference?: string; error?: string }>('POST', `${paymentsUrl}/charge`, {
    body: { orderId, amountCents, currency: 'EUR' },
    timeoutMs: 8000,
  });
  if (res.status === 200 && res.body.reference)
    return { ok: true, status: 200, reference: res.body.reference };
  return { ok: false, status: res.status, reason: res.body.error ?? `payments answered ${res.status}` };
}
