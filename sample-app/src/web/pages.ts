// Server-rendered HTML for the shop: small, accessible pages with no client-side script.
import type { Product } from '../api/queries.ts';

const escapeHtml = (s: unknown) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
const euros = (cents: number) => `€${(cents / 100).toFixed(2)}`;

export function layout(title: string, body: string, scenario: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Dojo Outfitters</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1a1a1a}
a{color:#0b57d0}ul.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.75rem;list-style:none;padding:0}
.card{border:1px solid #ccc;border-radius:.5rem;padding:.75rem}.err{color:#a50e0e}footer{margin-top:2rem;color:#555;font-size:.85rem}</style></head>
<body><header><a href="/"><strong>Dojo Outfitters</strong></a> · <form action="/search" style="display:inline"><label>Search reviews <input name="q" required></label> <button>Search</button></form></header>
<main><h1>${escapeHtml(title)}</h1>${body}</main><footer>Tracing Dojo sample shop · scenario <code>${escapeHtml(scenario)}</code></footer></body></html>`;
}

export function productGrid(products: Product[]): string {
  return `<ul class="grid">${products
    .map(
      (p) =>
        `<li class="card"><a href="/products/${p.id}">${escapeHtml(p.name)}</a><br>${euros(p.price_cents)} · ${escapeHtml(p.category)}</li>`,
    )
    .join('')}</ul>`;
}

export function productPage(
  p: Product & { reviews: { rating: number; body: string }[] },
  recommended: Product[],
): string {
  return `<p>${escapeHtml(p.sku)} · ${euros(p.price_cents)} · ${p.stock} in stock</p>
<form method="post" action="/checkout"><input type="hidden" name="productId" value="${p.id}">
<label>Quantity <input name="quantity" type="number" min="1" value="1"></label>
<label>Customer id <input name="customerId" type="number" min="1" value="42"></label> <button>Buy now</button></form>
<h2>Latest reviews</h2><ul>${p.reviews.map((r) => `<li>${'★'.repeat(r.rating)} ${escapeHtml(r.body)}</li>`).join('')}</ul>
<h2>Customers also bought</h2>${productGrid(recommended.slice(0, 8))}`;
}

export function searchPage(
  term: string,
  products: Product[],
  reviews: { product_id: number; body: string }[],
): string {
  return `<p>${products.length} products and ${reviews.length} reviews mention “${escapeHtml(term)}”.</p>${productGrid(products)}
<h2>Reviews</h2><ul>${reviews.map((r) => `<li><a href="/products/${r.product_id}">product ${r.product_id}</a>: ${escapeHtml(r.body)}</li>`).join('')}</ul>`;
}

export function orderPage(order: { orderId: string; totalCents: number }): string {
  return `<p>Thank you! Order <strong>${escapeHtml(order.orderId)}</strong>, ${euros(order.totalCents)}, is paid and being confirmed.</p><p><a href="/">Keep shopping</a></p>`;
}

export function errorPage(message: string): string {
  return `<p class="err">${escapeHtml(message)}</p><p><a href="/">Back to the shop</a></p>`;
}
