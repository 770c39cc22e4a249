// What simulated shoppers do: weighted journeys over the shop's pages, with realistic inputs.
export interface Step {
  method: 'GET' | 'POST';
  path: string;
  form?: Record<string, string>;
  customerId: number;
}

const searchTerms = ['zipper', 'battery', 'lens', 'strap', 'warranty', 'motor', 'fabric', 'delivery'];
const pick = <T>(xs: readonly T[], r: () => number) => xs[Math.floor(r() * xs.length)]!;

/** One journey step; `random` is injectable so a test can pin the mix. */
export function nextStep(random: () => number = Math.random): Step {
  const customerId = 1 + Math.floor(random() * 5000);
  const productId = 1 + Math.floor(random() * 2000);
  const roll = random();
  if (roll < 0.3) return { method: 'GET', path: '/', customerId };
  if (roll < 0.65) return { method: 'GET', path: `/products/${productId}`, customerId };
  if (roll < 0.8) return { method: 'GET', path: `/search?q=${pick(searchTerms, random)}`, customerId };
  return {
    method: 'POST',
    path: '/checkout',
    form: {
      productId: String(productId),
      quantity: String(1 + Math.floor(random() * 3)),
      customerId: String(customerId),
    },
    customerId,
  };
}
