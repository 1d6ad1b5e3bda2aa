import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { imageKey, validateImageSpec } from './image-validation.ts';

const messages = (spec: Parameters<typeof validateImageSpec>[0]) => validateImageSpec(spec).map((e) => e.message());

describe('Image spec validation', () => {
  it('accepts a project directory with a command', () => {
    assert.deepEqual(messages({ image: 'shop/orders:1.0', from: '/src/orders', args: ['node', 'server.js'] }), []);
    assert.deepEqual(messages({ image: 'ghcr.io/acme/api', rootfs: '/srv/rootfs', command: ['/api'] }), []);
  });
  it('names each bad field', () => {
    assert.deepEqual(messages({ image: 'x@sha256:' + 'a'.repeat(64), from: 'rel', workingDir: 'app', args: ['a'], mounts: [{ hostPath: '/h', containerPath: 'c' }] }), [
      `spec.image: Invalid value: "x@sha256:${'a'.repeat(64)}": register images by name and tag, not digest`,
      'spec.from: Invalid value: "rel": must be an absolute path',
      'spec.workingDir: Invalid value: "app": must be an absolute path',
      'spec.mounts[0].containerPath: Invalid value: "c": must be an absolute path',
    ]);
    assert.deepEqual(messages({ image: '' }), [
      'spec.image: Required value: the reference pods use, e.g. shop/orders:1.0',
      "spec.from: Required value: give the directory with the project's files (from) or an unpacked root filesystem (rootfs)",
      'spec.args: Required value: what containers of this image run: args (CMD) and/or command (ENTRYPOINT)',
    ]);
    assert.deepEqual(messages({ image: 'a:1', from: '/a', args: ['x'], env: [{ name: 'A' }, { name: 'A' }, { name: '9' }] }), [
      'spec.env[1].name: Invalid value: "A": appears twice',
      `spec.env[2].name: Invalid value: "9": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit`,
    ]);
  });
  it('keys images by their familiar name, so docker.io spellings meet', () => {
    assert.equal(imageKey('docker.io/library/python:3.11'), 'python:3.11');
    assert.equal(imageKey('shop/orders'), 'shop/orders:latest');
    assert.equal(imageKey('Bad'), undefined);
  });
});
