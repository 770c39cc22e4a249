// The designed traces of every TraceQL question: for each, the traces that separate the reference from
// the near misses written in the bank's `catches` (boundary durations and counts, the same symptom in
// another place, a trace cut where the lab's faults cut it). Build the files with build.ts.
import {
  apiCheckout,
  type CheckoutOptions,
  checkout,
  homePage,
  productPage,
  searchPage,
} from './journeys.ts';
import { confirmJob, server } from './lab-spans.ts';
import type { TraceDesign } from './to-otlp.ts';

const t = (name: string, scenario: string, about: string, root: TraceDesign['root']): TraceDesign => ({
  name,
  about,
  scenario,
  root,
});
const failedCheckout = (o: CheckoutOptions = {}) => checkout({ paymentsStatus: 503, paymentsMs: 44, ...o });

export const designs: Record<string, { about: string; traces: TraceDesign[] }> = {
  'q-slow-db': {
    about:
      'Slow and nearly slow PostgreSQL spans, of more than one statement, next to slow spans that are not queries.',
    traces: [
      t(
        'slow-review-search',
        'slow-query',
        'a review search without its index: 873 ms',
        searchPage({ reviewsMs: 873 }),
      ),
      t(
        'slow-order-insert',
        'healthy',
        'a checkout whose INSERT waited 640 ms on a lock: slow, and not a SELECT',
        checkout({ insertMs: 640 }),
      ),
      t(
        'query-at-500ms',
        'slow-query',
        'a review search of exactly 500 ms: not longer than 500 ms',
        searchPage({ term: 'strap', reviewsMs: 500 }),
      ),
      t(
        'search-at-520ms',
        'slow-query',
        'a review search of 520 ms: slow, though far from a second',
        searchPage({ term: 'lens', reviewsMs: 520 }),
      ),
      t(
        'slow-payment-fast-queries',
        'external-latency',
        'a checkout slow in payments (1.8 s) whose queries are all fast',
        checkout({ paymentsMs: 1800 }),
      ),
    ],
  },
  'q-errors': {
    about:
      'Traces whose only error is somewhere other than an HTTP 5xx answer, and answers of 4xx without an error.',
    traces: [
      t(
        'payments-503-cascade',
        'error-cascade',
        'the vendor answered 503 and the error went up to web (502)',
        failedCheckout(),
      ),
      t(
        'reset-then-resent',
        'network-latency',
        'web’s first call was reset (error, no HTTP status), the re-sent call and every answer were 200',
        productPage({ product: 5, resetMs: 361 }),
      ),
      t(
        'not-found-page',
        'healthy',
        'web answered 404 for a path no route matches: no span has status error',
        server('web', { method: 'GET', path: '/favicon.ico', status: 404, at: 0, ms: 1.2 }),
      ),
      t(
        'failed-confirmation-job',
        'healthy',
        'a placed order (201) whose confirmation job failed: the job and its UPDATE are errors',
        checkout({ orderId: '311', jobError: 'deadlock detected' }),
      ),
    ],
  },
  'q-customer-journey': {
    about: 'Customer 42 on every page, failing once, and other customers whose ids or orders contain 42.',
    traces: [
      t(
        'c42-home',
        'healthy',
        'customer 42 opens the home page (web only tags it)',
        homePage({ customer: 42 }),
      ),
      t('c42-product', 'healthy', 'customer 42 views product 3', productPage({ customer: 42, product: 3 })),
      t('c42-search', 'healthy', 'customer 42 searches', searchPage({ customer: 42, term: 'battery' })),
      t(
        'c42-checkout',
        'healthy',
        'customer 42 places an order (web and api tag it)',
        checkout({ customer: 42, orderId: '77' }),
      ),
      t(
        'c42-checkout-failed',
        'error-cascade',
        'customer 42’s checkout fails in payments',
        failedCheckout({ customer: 42 }),
      ),
      t('c43-product', 'healthy', 'customer 43 views a product', productPage({ customer: 43, product: 9 })),
      t(
        'c420-checkout',
        'healthy',
        'customer 420 places an order',
        checkout({ customer: 420, orderId: '78' }),
      ),
      t(
        'c7-order-42',
        'healthy',
        'customer 7 places order 42 for product 42',
        checkout({ customer: 7, orderId: '42', product: 42 }),
      ),
    ],
  },
  'q-checkout-db': {
    about:
      'Checkouts with and without queries below web’s /checkout, and a checkout whose api half lost its parent.',
    traces: [
      t(
        'checkout-ok',
        'healthy',
        'a placed order: web /checkout → api → PostgreSQL',
        checkout({ orderId: '12' }),
      ),
      t(
        'checkout-refused-before-db',
        'healthy',
        'api refused the cart (400) before any query',
        checkout({ refused: true }),
      ),
      t(
        'checkout-payment-failed',
        'error-cascade',
        'payments failed after the product SELECT: a query, but no INSERT',
        failedCheckout(),
      ),
      t(
        'checkout-api-half',
        'missing-propagation',
        'api’s half of a checkout whose caller did not propagate: queries, no web /checkout above them',
        apiCheckout({ at: 0, orderId: '13' }),
      ),
      t('product-page', 'healthy', 'a product page: queries, no checkout', productPage()),
    ],
  },
  'q-payments-slow': {
    about:
      'Calls to payments around 1 s, a slow call that failed, and a slow checkout whose payment was fast.',
    traces: [
      t('payments-2600ms', 'external-latency', 'the vendor took 2.6 s', checkout({ paymentsMs: 2600 })),
      t(
        'payments-1200ms',
        'external-latency',
        'the vendor took 1.2 s: over a second, under the scenario’s 1.5 s',
        checkout({ paymentsMs: 1200 }),
      ),
      t(
        'payments-1000ms',
        'external-latency',
        'the vendor took exactly 1 s: not longer than a second',
        checkout({ paymentsMs: 1000 }),
      ),
      t(
        'payments-slow-and-failed',
        'error-cascade',
        'the vendor answered 503 after 1.4 s',
        failedCheckout({ paymentsMs: 1400 }),
      ),
      t(
        'slow-insert-fast-payments',
        'healthy',
        'a 1.4 s checkout slow in its INSERT, with a 40 ms payment',
        checkout({ insertMs: 1300, paymentsMs: 40 }),
      ),
    ],
  },
  'q-root-api': {
    about: 'Traces rooted at api (a request and a job) beside connected traces in which api takes part.',
    traces: [
      t(
        'api-rooted-product',
        'missing-propagation',
        'api’s GET /api/products/:id as a root: web did not propagate',
        server('api', {
          method: 'GET',
          route: '/api/products/:id',
          path: '/api/products/3',
          status: 200,
          at: 0,
          ms: 16.8,
        }),
      ),
      t(
        'api-rooted-checkout',
        'missing-propagation',
        'api’s half of a checkout, its job inside',
        apiCheckout({ at: 0, orderId: '21' }),
      ),
      t(
        'orphaned-job',
        'async-context-lost',
        'an order.confirm job that lost its context: api’s CONSUMER span is the root',
        confirmJob('22', 0),
      ),
      t(
        'connected-product',
        'healthy',
        'a connected product page: api takes part, web is the root',
        productPage(),
      ),
    ],
  },
  'q-n-plus-one': {
    about: 'Traces around the 20-query line, many spans but few queries, and an N+1 of INSERTs.',
    traces: [
      t(
        'recommendations-27-queries',
        'n-plus-one',
        'a product page loading 24 recommendations one by one: 27 queries',
        productPage({ perItemRecommendations: 24 }),
      ),
      t(
        'exactly-25-queries',
        'n-plus-one',
        'a product page with 25 queries',
        productPage({ product: 11, perItemRecommendations: 22 }),
      ),
      t(
        'exactly-21-queries',
        'n-plus-one',
        'a product page with 21 queries',
        productPage({ product: 12, perItemRecommendations: 18 }),
      ),
      t(
        'exactly-20-queries',
        'n-plus-one',
        'a product page with 20 queries: not more than 20',
        productPage({ product: 13, perItemRecommendations: 17 }),
      ),
      t(
        'many-spans-few-queries',
        'n-plus-one',
        '26 spans, 22 of them in api, but only 18 queries',
        productPage({ product: 14, perItemRecommendations: 15 }),
      ),
      t(
        'per-row-inserts',
        'healthy',
        'a checkout storing 20 items with one INSERT each: 23 queries, one of them a SELECT',
        checkout({ perItemInserts: 20, orderId: '31' }),
      ),
    ],
  },
  'q-client-errors': {
    about: 'Failing CLIENT calls without an HTTP 5xx: a reset, a 404 answer, a failed query.',
    traces: [
      t(
        'payments-503-cascade',
        'error-cascade',
        'payments 503: api’s and web’s CLIENT calls fail, and their SERVER spans',
        failedCheckout(),
      ),
      t(
        'reset-then-resent',
        'network-latency',
        'web’s call reset before any answer (no HTTP status), then re-sent',
        productPage({ product: 6, resetMs: 420 }),
      ),
      t(
        'product-not-found',
        'healthy',
        'api answered 404: web’s CLIENT span is an error, no SERVER span is',
        productPage({ product: 9999, productStatus: 404 }),
      ),
      t(
        'failed-confirmation-job',
        'healthy',
        'the job’s UPDATE failed: a PostgreSQL CLIENT span with status error, no HTTP at all',
        checkout({ orderId: '41', jobError: 'deadlock detected' }),
      ),
    ],
  },
  'q-slow-search-route': {
    about: 'Slow api SERVER spans on more than one route, and around the 500 ms line.',
    traces: [
      t(
        'slow-review-search',
        'slow-query',
        'api’s GET /api/search took 877 ms',
        searchPage({ reviewsMs: 873 }),
      ),
      t(
        'slow-checkout-api',
        'external-latency',
        'api’s POST /api/checkout took 1.8 s (payments): slow, and not a search',
        checkout({ paymentsMs: 1800 }),
      ),
      t(
        'api-server-at-500ms',
        'slow-query',
        'api’s GET /api/search took exactly 500 ms',
        searchPage({ term: 'motor', reviewsMs: 496 }),
      ),
      t(
        'api-server-700ms',
        'slow-query',
        'api’s GET /api/search took 700 ms',
        searchPage({ term: 'fabric', reviewsMs: 696 }),
      ),
    ],
  },
  'q-no-orphan-jobs': {
    about: 'An orphaned job beside connected jobs and other traces rooted at api.',
    traces: [
      t(
        'orphaned-job',
        'async-context-lost',
        'order.confirm as the root of its own trace',
        confirmJob('51', 0),
      ),
      t('connected-job', 'healthy', 'a checkout whose job kept its context', checkout({ orderId: '52' })),
      t(
        'api-rooted-product',
        'missing-propagation',
        'a trace rooted at api that is not a job',
        server('api', {
          method: 'GET',
          route: '/api/products/:id',
          path: '/api/products/8',
          status: 200,
          at: 0,
          ms: 12.4,
        }),
      ),
      t(
        'api-rooted-checkout-with-job',
        'missing-propagation',
        'api’s half of a checkout: rooted at api, its job connected inside',
        apiCheckout({ at: 0, orderId: '53' }),
      ),
    ],
  },
  'q-network-gap': {
    about: 'Slow web calls whose time went on the wire, in api, in payments, and exactly at the line.',
    traces: [
      t(
        'held-back-call',
        'network-latency',
        'web’s call took 804.5 ms, api answered in 4.5 ms',
        productPage({ product: 4, wireMs: [800, 2] }),
      ),
      t(
        'slow-api-not-network',
        'slow-query',
        'web’s call took 879 ms because api took 877 ms',
        searchPage({ reviewsMs: 873 }),
      ),
      t(
        'slow-payments-call',
        'external-latency',
        'api’s CLIENT call to payments took 1.6 s (payments is not traced, so it has no SERVER child)',
        checkout({ paymentsMs: 1600 }),
      ),
      t(
        'reset-after-delay',
        'network-latency',
        'a call held back 600 ms then reset (no child), and its re-sent call held back 700 ms',
        productPage({ product: 5, resetMs: 600, wireMs: [700, 2] }),
      ),
      t(
        'call-at-300ms',
        'network-latency',
        'web’s call took exactly 300 ms with a fast api below: not slower than 300 ms',
        productPage({ product: 2, wireMs: [295.5, 2] }),
      ),
    ],
  },
};
