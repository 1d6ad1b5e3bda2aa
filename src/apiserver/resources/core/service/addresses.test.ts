// Table tests for the IP helpers: Go-compatible parsing, canonical forms and special-range detection.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIP, familyOfIP, formatIPv4, parseIPv4, specialIPProblems } from './addresses.ts';

describe('IP helpers', () => {
  const families: [string, string][] = [
    ['10.96.0.10', 'IPv4'],
    ['010.96.0.10', 'IPv4'],
    ['::ffff:10.0.0.1', 'IPv4'],
    ['fd00::1', 'IPv6'],
    ['10.96.0', 'unknown'],
    ['256.1.1.1', 'unknown'],
    ['example.com', 'unknown'],
  ];
  for (const [ip, fam] of families) it(`${ip} is ${fam}`, () => assert.equal(familyOfIP(ip), fam));

  it('round-trips IPv4 numbers', () => {
    assert.equal(formatIPv4(parseIPv4('10.96.255.254')!), '10.96.255.254');
    assert.equal(parseIPv4('010.000.0.1'), parseIPv4('10.0.0.1'));
  });

  const canonical: [string, string][] = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80:0:0:0:1:0:0:0', 'fe80::1:0:0:0'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['010.1.2.3', '10.1.2.3'],
  ];
  for (const [ip, want] of canonical) it(`canonical form of ${ip}`, () => assert.equal(canonicalIP(ip), want));

  const special: [string, string[] | undefined][] = [
    ['10.1.2.3', []],
    ['0.0.0.0', ['may not be unspecified (0.0.0.0)']],
    ['127.0.0.1', ['may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['::1', ['may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['169.254.169.254', ['may not be in the link-local range (169.254.0.0/16, fe80::/10)']],
    ['fe80::1', ['may not be in the link-local range (169.254.0.0/16, fe80::/10)']],
    ['224.0.0.251', ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']],
    ['ff02::fb', ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']],
    ['not-an-ip', undefined],
  ];
  for (const [ip, want] of special) it(`special ranges: ${ip}`, () => assert.deepEqual(specialIPProblems(ip), want));
});
