import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseRuntime, type HostProbe } from './select-runtime.ts';

const full: HostProbe = {
  platform: 'linux',
  root: true,
  tools: { crun: '/usr/bin/crun', runc: '/usr/sbin/runc', ip: '/usr/sbin/ip', nft: '/usr/sbin/nft', unshare: '/usr/bin/unshare', mount: '/usr/bin/mount', mkfifo: '/usr/bin/mkfifo' },
  cniDir: '/usr/lib/cni',
  cniMissing: [],
  cgroupMode: 'hybrid',
  cgroupWritable: true,
  overlay: true,
  lowerOomScore: false,
};

describe('chooseRuntime', () => {
  it('picks the isolated runtime with crun when everything is there', () => {
    const c = chooseRuntime('auto', full);
    assert.equal(c.kind, 'isolated');
    assert.equal(c.ociRuntime, 'crun');
    assert.ok(c.notes.some((n) => /hybrid/.test(n)));
    assert.ok(c.notes.some((n) => /CAP_SYS_RESOURCE/.test(n)));
  });

  it('falls back to runc without crun, and honours a preference', () => {
    assert.equal(chooseRuntime('auto', { ...full, tools: { ...full.tools, crun: undefined } }).ociRuntime, 'runc');
    assert.equal(chooseRuntime('auto', full, 'runc').ociRuntime, 'runc');
  });

  it('falls back to the host runtime without root, saying why', () => {
    const c = chooseRuntime('auto', { ...full, root: false, cgroupWritable: false });
    assert.equal(c.kind, 'host');
    assert.match(c.reasons.join(' '), /not running as root/);
    assert.ok(c.notes.some((n) => /weaker isolation/.test(n)));
  });

  it('names the Debian packages that are missing and the apt-get line', () => {
    const c = chooseRuntime('auto', { ...full, tools: { ...full.tools, crun: undefined, runc: undefined, nft: undefined }, cniMissing: ['portmap'] });
    assert.equal(c.kind, 'host');
    assert.equal(c.fix, 'apt-get install -y --no-install-recommends crun containernetworking-plugins nftables');
    assert.match(c.reasons.join('; '), /missing CNI plugins portmap \(Debian package containernetworking-plugins\)/);
  });

  it('refuses --runtime isolated where it cannot work, with the fix', () => {
    assert.throws(() => chooseRuntime('isolated', { ...full, cniMissing: ['bridge'] }), /--runtime isolated cannot work here: .*to fix: apt-get install -y --no-install-recommends containernetworking-plugins/);
  });

  it('gives the host runtime when asked, even where the isolated one works', () => {
    const c = chooseRuntime('host', full);
    assert.equal(c.kind, 'host');
    assert.deepEqual(c.reasons, ['--runtime host was asked for']);
  });
});
