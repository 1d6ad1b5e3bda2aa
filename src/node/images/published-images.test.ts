import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imageRecordOf } from './published-images.ts';

describe('imageRecordOf', () => {
  it('turns an Image object into the store record the runtime starts from', () => {
    const rec = imageRecordOf({
      apiVersion: 'dabba.dev/v1alpha1',
      kind: 'Image',
      metadata: { name: 'orders', creationTimestamp: '2026-11-26T07:00:00Z' },
      spec: { image: 'docker.io/shop/orders:1.0', from: '/src/orders', args: ['node', 'server.js'], env: [{ name: 'PORT', value: '8080' }, { name: 'EMPTY' }], mounts: [{ hostPath: '/data', containerPath: '/data' }] },
    });
    assert.deepEqual(rec, {
      apiVersion: 'dabba.dev/v1alpha1',
      kind: 'Image',
      repository: 'shop/orders',
      tag: '1.0',
      rootfs: '/',
      mounts: [
        { hostPath: '/src/orders', containerPath: '/app', readOnly: true },
        { hostPath: '/data', containerPath: '/data', readOnly: true },
      ],
      entrypoint: [],
      cmd: ['node', 'server.js'],
      workingDir: '/app',
      env: { PORT: '8080', EMPTY: '' },
      user: 0,
      description: 'Image orders: /src/orders at /app',
      createdAt: '2026-11-26T07:00:00Z',
    });
  });
  it('ignores objects without a parseable image', () => {
    assert.equal(imageRecordOf({ apiVersion: 'dabba.dev/v1alpha1', kind: 'Image', metadata: { name: 'x' }, spec: { image: 'Bad Name' } }), undefined);
  });
});
