import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostProbe } from '../node/runtime/select-runtime.ts';
import { formatDoctor } from './doctor.ts';

const probe: HostProbe = {
  platform: 'linux',
  root: false,
  tools: { ip: '/usr/sbin/ip', unshare: '/usr/bin/unshare', mount: '/usr/bin/mount', mkfifo: '/usr/bin/mkfifo' },
  cniMissing: ['bridge', 'host-local', 'loopback', 'portmap'],
  cgroupMode: 'v2',
  cgroupWritable: false,
  overlay: true,
  lowerOomScore: false,
};

describe('dabba doctor', () => {
  it('explains the host fallback and prints the apt-get line', () => {
    const { text, ok } = formatDoctor({ mode: 'auto', probe, versions: {}, images: [{ name: 'python:*', builtin: true, available: true, description: 'host python3' }] });
    assert.equal(ok, true);
    assert.match(text, /^Runtime: host — chosen by --runtime auto\n/);
    assert.match(text, /not running as root/);
    assert.match(text, /✘ CNI plugins missing: bridge, host-local, loopback, portmap/);
    assert.match(text, /weaker isolation/);
    assert.match(text, /✔ python:\*/);
    assert.match(text, /To get the isolated runtime: apt-get install -y --no-install-recommends crun containernetworking-plugins nftables \(and run dabba as root\)/);
  });

  it('fails when --runtime isolated cannot run', () => {
    const { text, ok } = formatDoctor({ mode: 'isolated', probe, versions: {}, images: [] });
    assert.equal(ok, false);
    assert.match(text, /^Runtime: none — --runtime isolated cannot work here/);
  });
});
