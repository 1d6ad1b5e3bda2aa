import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../../../machinery/status-error.ts';
import { isSpdyRequest, negotiateStreamProtocol, spdySwitchingProtocols } from './spdy-upgrade.ts';

const req = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage;
const server = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

test('the client order wins among the protocols the server accepts (kubectl 1.29 offers v5 first)', () => {
  const h = (v: string | string[]) => req({ connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': v });
  assert.equal(negotiateStreamProtocol(h(['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io']), server), 'v4.channel.k8s.io');
  assert.equal(negotiateStreamProtocol(h('v2.channel.k8s.io, v4.channel.k8s.io'), server), 'v2.channel.k8s.io');
  assert.throws(
    () => negotiateStreamProtocol(h('v9.channel.k8s.io'), server),
    (e: unknown) => e instanceof StatusError && e.code === 403 && /unable to negotiate protocol: client supports \[v9.channel.k8s.io\]/.test(e.message),
  );
  assert.throws(() => negotiateStreamProtocol(req({}), server), (e: unknown) => e instanceof StatusError && e.code === 400);
});

test('SPDY upgrades are recognised by their headers, and answered with the chosen protocol', () => {
  assert.equal(isSpdyRequest(req({ connection: 'keep-alive, Upgrade', upgrade: 'SPDY/3.1' })), true);
  assert.equal(isSpdyRequest(req({ connection: 'Upgrade', upgrade: 'websocket' })), false);
  assert.match(spdySwitchingProtocols('portforward.k8s.io'), /^HTTP\/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY\/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n/);
});
