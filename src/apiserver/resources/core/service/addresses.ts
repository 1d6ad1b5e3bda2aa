// IP address parsing and formatting for Service cluster IPs, with Go's ParseIPSloppy leniency.
import { isIPv6 } from 'node:net';

/** Parses an IPv4 address like Go's ParseIPSloppy (leading zeros read as decimal); undefined if not IPv4. */
export function parseIPv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** `IPv4`, `IPv6` or `unknown`, as upstream's familyOf names them. */
export function familyOfIP(ip: string): 'IPv4' | 'IPv6' | 'unknown' {
  if (parseIPv4(ip) !== undefined) return 'IPv4';
  const mapped = /^::ffff:([0-9.]+)$/i.exec(ip);
  if (mapped && parseIPv4(mapped[1]) !== undefined) return 'IPv4';
  if (isIPv6(ip)) return 'IPv6';
  return 'unknown';
}

/** Expands an IPv6 address (optionally with an embedded IPv4 tail) to 16 bytes; undefined if not IPv6. */
function ipv6Bytes(s: string): number[] | undefined {
  if (!isIPv6(s)) return undefined;
  let tail: number[] = [];
  let head = s;
  const v4 = /([0-9.]+)$/.exec(s);
  if (v4 && v4[1].includes('.')) {
    const n = parseIPv4(v4[1]);
    if (n === undefined) return undefined;
    tail = [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    head = s.slice(0, s.length - v4[1].length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsNeeded = (16 - tail.length) / 2;
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const l = left ? left.split(':').filter((g) => g !== '') : [];
  const r = right !== undefined && right !== '' ? right.split(':').filter((g) => g !== '') : [];
  const zeros = right === undefined ? 0 : groupsNeeded - l.length - r.length;
  const groups = [...l, ...Array<string>(Math.max(0, zeros)).fill('0'), ...r].map((g) => parseInt(g, 16));
  if (groups.length !== groupsNeeded) return undefined;
  return [...groups.flatMap((g) => [g >> 8, g & 255]), ...tail];
}

/** 16-byte form with IPv4 addresses IPv4-mapped, as Go's net.IP holds them; undefined if unparseable. */
function ipBytes(s: string): number[] | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, (v4 >>> 24) & 255, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255];
  return ipv6Bytes(s);
}

const isV4Mapped = (b: number[]) => b.slice(0, 10).every((x) => x === 0) && b[10] === 255 && b[11] === 255;

/**
 * Why an address is unusable as an endpoint or external IP (upstream ValidateEndpointIP / ValidateNonSpecialIP):
 * the detail texts of the errors to report, empty when it is fine, undefined when it does not parse.
 */
export function specialIPProblems(s: string): string[] | undefined {
  const b = ipBytes(s);
  if (!b) return undefined;
  const problems: string[] = [];
  const v4 = isV4Mapped(b);
  if (v4 ? b.slice(12).every((x) => x === 0) : b.every((x) => x === 0)) problems.push(`may not be unspecified (${s})`);
  if (v4 ? b[12] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1) {
    problems.push('may not be in the loopback range (127.0.0.0/8, ::1/128)');
  }
  if (v4 ? b[12] === 169 && b[13] === 254 : b[0] === 0xfe && (b[1] & 0xc0) === 0x80) {
    problems.push('may not be in the link-local range (169.254.0.0/16, fe80::/10)');
  }
  if (v4 ? b[12] === 224 && b[13] === 0 && b[14] === 0 : b[0] === 0xff && (b[1] & 0x0f) === 0x02) {
    problems.push('may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
  }
  return problems;
}

/** Go's net.IP.String(): dotted quad for IPv4 and IPv4-mapped, RFC 5952 for IPv6. */
export function canonicalIP(s: string): string | undefined {
  const b = ipBytes(s);
  if (!b) return undefined;
  if (isV4Mapped(b)) return b.slice(12).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i] << 8) | b[i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i >= 2 && j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.map((g) => g.toString(16)).join(':');
  const left = groups.slice(0, bestStart).map((g) => g.toString(16)).join(':');
  const right = groups.slice(bestStart + bestLen).map((g) => g.toString(16)).join(':');
  return `${left}::${right}`;
}

/** Upstream GetWarningsForIP: non-standard spellings of valid addresses. */
export function warningsForIP(path: string, value: string): string[] {
  const canonical = canonicalIP(value);
  if (canonical === undefined) return [];
  const v4 = parseIPv4(value);
  const strictV4 = v4 !== undefined && value.split('.').every((p) => p === '0' || !p.startsWith('0'));
  const mapped = v4 === undefined && isV4Mapped(ipBytes(value)!);
  if ((v4 !== undefined && !strictV4) || mapped || (v4 === undefined && /(^|:)[0-9a-f]{5,}/i.test(value))) {
    return [`${path}: non-standard IP address ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(canonical)}`];
  }
  if (v4 === undefined && canonical !== value) {
    return [`${path}: IPv6 address ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`];
  }
  return [];
}
