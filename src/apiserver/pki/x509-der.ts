// Issues X.509 v3 certificates (ECDSA P-256, SHA-256) as DER, for the cluster CA, the serving cert and client certs.
//
// Why not a library: @peculiar/x509 (and its asn1 stack) takes ~100 ms just to load, a fifth of the 0.5 s
// start-up budget on a first start; the handful of DER structures a CA needs are short and fixed (RFC 5280),
// and node:crypto does the key generation, signing and (in tests) verification.
import { createHash, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

type Der = Buffer;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, body: Buffer): Der => Buffer.concat([Buffer.from([tag]), length(body.length), body]);
const sequence = (...items: Der[]): Der => tlv(0x30, Buffer.concat(items));
const set = (...items: Der[]): Der => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer): Der => tlv(0x04, b);
const utf8 = (s: string): Der => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean): Der => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
const explicit = (n: number, inner: Der): Der => tlv(0xa0 | n, inner);

/** A non-negative INTEGER from big-endian bytes (a leading zero keeps it positive). */
function integer(bytes: Buffer): Der {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1] & 0x80) === 0) b = b.subarray(1);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted: string): Der {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0] * 40 + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [];
    let v = p;
    do {
      chunk.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** BIT STRING of whole bytes, or of named bits (bit 0 is the most significant bit of the first byte). */
function bitString(bytes: Buffer, unusedBits = 0): Der {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

function namedBits(bits: number[]): Der {
  const top = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(top / 8) + 1);
  for (const b of bits) bytes[Math.floor(b / 8)] |= 0x80 >> b % 8;
  return bitString(bytes, 7 - (top % 8));
}

function time(d: Date): Der {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

export interface DistinguishedName {
  commonName: string;
  organizations?: string[];
}

function name(dn: DistinguishedName): Der {
  const rdns = (dn.organizations ?? []).map((o) => set(sequence(oid('2.5.4.10'), utf8(o))));
  rdns.push(set(sequence(oid('2.5.4.3'), utf8(dn.commonName))));
  return sequence(...rdns);
}

const extension = (id: string, critical: boolean, value: Der): Der =>
  critical ? sequence(oid(id), bool(true), octets(value)) : sequence(oid(id), octets(value));

/** The key identifier RFC 5280 §4.2.1.2 (1) describes: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(spki: Buffer): Buffer {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }: take the last element's bits.
  const bits = lastElementContents(spki).subarray(1);
  return createHash('sha1').update(bits).digest();
}

function readLength(der: Buffer, at: number): { len: number; next: number } {
  const first = der[at];
  if (first < 0x80) return { len: first, next: at + 1 };
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + der[at + 1 + i];
  return { len, next: at + 1 + n };
}

function lastElementContents(seq: Buffer): Buffer {
  const outer = readLength(seq, 1);
  let at = outer.next;
  let last: Buffer = Buffer.alloc(0);
  while (at < outer.next + outer.len) {
    const l = readLength(seq, at + 1);
    last = seq.subarray(l.next, l.next + l.len);
    at = l.next + l.len;
  }
  return last;
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.concat(groups.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
}

export interface CertificateRequest {
  serial: Buffer;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  /** The subject's public key. */
  publicKey: KeyObject;
  /** The issuer's key (the subject's own for a self-signed CA) and public key (for the authority key id). */
  signingKey: KeyObject;
  issuerPublicKey: KeyObject;
  isCA: boolean;
  /** Extended key usage: TLS server, TLS client, or neither (a CA). */
  usage?: 'server' | 'client';
  /** DNS names and IP addresses for subjectAltName. */
  hosts?: string[];
}

/** Builds and signs the certificate; returns DER. */
export function issueCertificate(r: CertificateRequest): Buffer {
  const spki = r.publicKey.export({ type: 'spki', format: 'der' });
  const issuerSpki = r.issuerPublicKey.export({ type: 'spki', format: 'der' });
  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
  // keyUsage bits: digitalSignature 0, keyEncipherment 2, keyCertSign 5, cRLSign 6.
  const extensions = [
    extension('2.5.29.19', true, r.isCA ? sequence(bool(true)) : sequence()),
    extension('2.5.29.15', true, namedBits(r.isCA ? [0, 5, 6] : [0, 2])),
    extension('2.5.29.14', false, octets(keyIdentifier(spki))),
  ];
  if (!r.isCA) extensions.push(extension('2.5.29.35', false, sequence(tlv(0x80, keyIdentifier(issuerSpki)))));
  if (r.usage) extensions.push(extension('2.5.29.37', false, sequence(oid(r.usage === 'server' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2'))));
  if (r.hosts?.length) {
    const names = r.hosts.map((h) => (isIP(h) ? tlv(0x87, ipBytes(h)) : tlv(0x82, Buffer.from(h, 'ascii'))));
    extensions.push(extension('2.5.29.17', false, sequence(...names)));
  }
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(r.serial),
    ecdsaWithSha256,
    name(r.issuer),
    sequence(time(r.notBefore), time(r.notAfter)),
    name(r.subject),
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, r.signingKey);
  return sequence(tbs, ecdsaWithSha256, bitString(signature));
}

export function derToPem(der: Buffer, label = 'CERTIFICATE'): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
