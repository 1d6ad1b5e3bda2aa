// The cluster PKI: a CA, a serving certificate for every API address and an admin client certificate, all verifiable.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { ensurePki } from './certificates.ts';

it('issues a CA, a serving certificate and an admin certificate that verify, and reuses them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dabba-pki-'));
  try {
    const pki = await ensurePki(dir, '127.0.0.1');
    const ca = new X509Certificate(pki.ca.cert);
    const server = new X509Certificate(pki.server.cert);
    const admin = new X509Certificate(pki.admin.cert);
    assert.equal(ca.ca, true);
    assert.equal(server.ca, false);
    assert.ok(ca.verify(ca.publicKey), 'the CA is self-signed');
    assert.ok(server.verify(ca.publicKey) && admin.verify(ca.publicKey), 'leaf certificates are signed by the CA');
    assert.ok(server.checkIssued(ca) && admin.checkIssued(ca));
    for (const host of ['localhost', 'kubernetes.default.svc.cluster.local']) assert.equal(server.checkHost(host), host);
    for (const ip of ['127.0.0.1', '10.96.0.1', '::1']) assert.equal(server.checkIP(ip), ip);
    assert.equal(server.checkHost('example.com'), undefined);
    assert.equal(admin.subject, 'O=system:masters\nCN=kubernetes-admin');
    assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.deepEqual(admin.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    const again = await ensurePki(dir, '127.0.0.1');
    assert.equal(again.server.cert, pki.server.cert, 'a restart keeps the serving certificate');
    const moved = await ensurePki(dir, '192.0.2.10');
    assert.notEqual(moved.server.cert, pki.server.cert, 'a new --host gets a certificate that names it');
    assert.equal(new X509Certificate(moved.server.cert).checkIP('192.0.2.10'), '192.0.2.10');
    assert.equal(moved.ca.cert, pki.ca.cert);
    // The `kubernetes` Service's IP of another service range: in-cluster clients connect to it and verify the name.
    const ranged = await ensurePki(dir, '127.0.0.1', '10.201.7.1');
    assert.equal(new X509Certificate(ranged.server.cert).checkIP('10.201.7.1'), '10.201.7.1');
    assert.equal(new X509Certificate(ranged.server.cert).checkIP('10.96.0.1'), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
