import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrContains, formatCidr, hostAddress, parseCidr, subnetOf } from './cidr.ts';

describe('cidr', () => {
  it('parses, contains and carves node subnets', () => {
    const pods = parseCidr('10.244.0.0/16');
    assert.equal(formatCidr(subnetOf(pods, 24, 0)), '10.244.0.0/24');
    assert.equal(formatCidr(subnetOf(pods, 24, 255)), '10.244.255.0/24');
    assert.equal(hostAddress(subnetOf(pods, 24, 3), 1), '10.244.3.1');
    assert.equal(cidrContains(pods, '10.244.200.7'), true);
    assert.equal(cidrContains(pods, '10.245.0.1'), false);
    assert.equal(cidrContains(parseCidr('0.0.0.0/0'), '8.8.8.8'), true);
  });
  it('refuses malformed blocks with a hint', () => {
    assert.throws(() => parseCidr('10.244.1.0/16'), /host bits set; did you mean 10\.244\.0\.0\/16\?/);
    assert.throws(() => parseCidr('10.244.0.0'), /not an IPv4 CIDR/);
    assert.throws(() => parseCidr('10.300.0.0/16'), /not an IPv4 address/);
    assert.throws(() => subnetOf(parseCidr('10.244.0.0/16'), 24, 256), /out of range/);
  });
});
