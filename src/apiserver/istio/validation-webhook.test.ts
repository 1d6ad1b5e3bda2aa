import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/status-error.ts';
import type { ResourceDefinition } from '../registry/resource.ts';
import { systemContext } from '../registry/request-context.ts';
import { istioValidationWebhook } from './validation-webhook.ts';

const def = (group: string, kind: string) => ({ group, kind }) as ResourceDefinition;

test('a denial reads as the API server words a webhook refusal', async () => {
  const vs = { kind: 'VirtualService', metadata: { name: 'r', namespace: 'shop' }, spec: { hosts: ['r'], http: [{ route: [{ destination: { host: 'r' }, weight: 0 }, { destination: { host: 's' }, weight: 0 }] }] } };
  try {
    await istioValidationWebhook.admit('create', def('networking.istio.io', 'VirtualService'), vs, undefined, systemContext());
    assert.fail('expected a denial');
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.deepEqual(e.toStatus(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'admission webhook "validation.istio.io" denied the request: configuration is invalid: total destination weight = 0',
      code: 400,
    });
  }
});

test('warnings reach the response; other groups are not looked at', async () => {
  const ctx = systemContext();
  const dr = { kind: 'DestinationRule', metadata: { name: 'r', namespace: 'shop' }, spec: { host: 'r', trafficPolicy: { outlierDetection: { consecutiveErrors: 3 } } } };
  await istioValidationWebhook.admit('update', def('networking.istio.io', 'DestinationRule'), dr, dr, ctx);
  assert.deepEqual(ctx.warnings, ['outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead']);
  assert.equal(istioValidationWebhook.admit('create', def('example.com', 'VirtualService'), { metadata: {}, spec: {} }, undefined, ctx), undefined);
});
