import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSigningKey } from './signing-key.ts';

test('sa.key is made on first start as an RSA key only its owner reads, and reused after', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dabba-sa-key-'));
  try {
    const first = await ensureSigningKey(dir);
    assert.equal(first.alg, 'RS256');
    const pem = await readFile(join(dir, 'pki', 'sa.key'), 'utf8');
    assert.match(pem, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal((await stat(join(dir, 'pki', 'sa.key'))).mode & 0o777, 0o600);
    assert.match(await readFile(join(dir, 'pki', 'sa.pub'), 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
    const again = await ensureSigningKey(dir);
    assert.equal(again.keyId, first.keyId);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
