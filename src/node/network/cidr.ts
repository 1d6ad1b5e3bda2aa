// IPv4 addresses and CIDR blocks as numbers: parsing, containment and carving a node's pod subnet out of the cluster's pod CIDR.

export class CidrError extends Error {
  readonly code = 'NODE_ERR_CIDR';
}

export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  bits: number;
}

export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new CidrError(`"${text}" is not an IPv4 address`);
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function mask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

export function parseCidr(text: string): Ipv4Cidr {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!m || Number(m[2]) > 32) throw new CidrError(`"${text}" is not an IPv4 CIDR block such as 10.244.0.0/16`);
  const bits = Number(m[2]);
  const ip = parseIpv4(m[1]);
  const base = (ip & mask(bits)) >>> 0;
  if (base !== ip) throw new CidrError(`"${text}" has host bits set; did you mean ${formatIpv4(base)}/${bits}?`);
  return { base, bits };
}

export function formatCidr(c: Ipv4Cidr): string {
  return `${formatIpv4(c.base)}/${c.bits}`;
}

export function cidrContains(c: Ipv4Cidr, ip: string | number): boolean {
  const n = typeof ip === 'string' ? parseIpv4(ip) : ip;
  return ((n & mask(c.bits)) >>> 0) === c.base;
}

/** The `index`-th block of prefix length `bits` inside `c` (10.244.0.0/16, 24, 3 → 10.244.3.0/24). */
export function subnetOf(c: Ipv4Cidr, bits: number, index: number): Ipv4Cidr {
  if (bits < c.bits) throw new CidrError(`a /${bits} does not fit in ${formatCidr(c)}`);
  const count = 2 ** (bits - c.bits);
  if (index < 0 || index >= count) throw new CidrError(`${formatCidr(c)} has ${count} blocks of /${bits}; index ${index} is out of range`);
  return { base: (c.base + index * 2 ** (32 - bits)) >>> 0, bits };
}

/** The n-th address of a block (n = 1 is the usual gateway). */
export function hostAddress(c: Ipv4Cidr, n: number): string {
  if (n < 0 || n >= 2 ** (32 - c.bits)) throw new CidrError(`${formatCidr(c)} has no host number ${n}`);
  return formatIpv4((c.base + n) >>> 0);
}
