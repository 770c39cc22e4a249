// The tier environment both modes build from one function: who reaches whom, and what the SDK is told.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TierNetwork, tierEnv } from '../src/tiers.ts';

const network: TierNetwork = {
  api: 'http://api:8081',
  apiLink: 'http://127.0.0.1:8089',
  payments: 'http://payments:8082',
  web: 'http://web:8080',
  shipping: 'http://shipping:8083',
  databaseUrl: 'postgres://dojo:dojo@postgres:5432/shop',
  otlpEndpoint: 'http://collector:4318',
};

test('web reaches api through the link; every other tier reaches api directly', () => {
  assert.equal(tierEnv('web', network).API_URL, network.apiLink);
  assert.equal(tierEnv('api', network).API_URL, network.api);
  assert.equal(tierEnv('loadgen', network).API_URL, network.api);
});

test('only api calls the shipping service, and only when the practical runs', () => {
  assert.equal(tierEnv('api', network).SHIPPING_URL, network.shipping);
  assert.equal(tierEnv('web', network).SHIPPING_URL, undefined);
  assert.equal(tierEnv('api', { ...network, shipping: undefined }).SHIPPING_URL, undefined);
});

test('each tier names itself to the SDK, batches for 0.5 s and gets a port only when it listens', () => {
  const env = tierEnv('payments', network, 8082);
  assert.equal(env.OTEL_SERVICE_NAME, 'payments');
  assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, network.otlpEndpoint);
  assert.equal(env.OTEL_BSP_SCHEDULE_DELAY, '500');
  assert.equal(env.PORT, '8082');
  assert.equal('PORT' in tierEnv('loadgen', network), false);
});
