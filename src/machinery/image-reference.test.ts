import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { familiarName, fullName, parseImageReference } from './image-reference.ts';

describe('parseImageReference', () => {
  const cases: [string, string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['python:3.11', 'docker.io/library/python:3.11', 'python:3.11'],
    ['library/node:24-alpine', 'docker.io/library/node:24-alpine', 'node:24-alpine'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest', 'nginx:latest'],
    ['shop/orders:1.0', 'docker.io/shop/orders:1.0', 'shop/orders:1.0'],
    ['ghcr.io/acme/api:v2', 'ghcr.io/acme/api:v2', 'ghcr.io/acme/api:v2'],
    ['localhost:5000/app', 'localhost:5000/app:latest', 'localhost:5000/app:latest'],
    ['nginx@sha256:' + 'a'.repeat(64), 'docker.io/library/nginx:latest@sha256:' + 'a'.repeat(64), 'nginx:latest'],
  ];
  for (const [input, full, familiar] of cases) {
    it(`${input} → ${full}`, () => {
      const r = parseImageReference(input);
      assert.equal(fullName(r), full);
      assert.equal(familiarName(r), familiar);
    });
  }
  for (const bad of ['', 'Busybox', 'nginx:', 'a//b', 'nginx:tag with space', ':latest', 'nginx@sha256:xyz']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseImageReference(bad), /invalid reference format/);
    });
  }
});
