// Compact JWS (JSON Web Tokens) signed and verified with node:crypto: RS256 and ES256/384/512.
import { sign, verify, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm, SigningKey } from './signing-key.ts';

const hashOf: Record<SigningAlgorithm, string> = { RS256: 'sha256', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' };

export interface ParsedJwt {
  header: { alg?: string; kid?: string; [k: string]: unknown };
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/** JSON with object keys sorted at every depth, as Go's json.Marshal of a map prints it. */
export function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${sortedJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

export function signJwt(payload: Record<string, unknown>, key: SigningKey): string {
  const header = b64url(JSON.stringify({ alg: key.alg, kid: key.keyId }));
  const input = `${header}.${b64url(sortedJson(payload))}`;
  const sig = sign(hashOf[key.alg], Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(sig)}`;
}

const b64urlPart = /^[A-Za-z0-9_-]*$/;

/** Splits and decodes a compact JWS without checking it; undefined when it is not one. */
export function parseJwt(token: string): ParsedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => b64urlPart.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (header === null || typeof header !== 'object' || payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
    return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

/** Checks the signature with `publicKey`, which must be of the algorithm the header names. */
export function verifyJwtSignature(jwt: ParsedJwt, publicKey: KeyObject, alg: SigningAlgorithm): boolean {
  if (jwt.header.alg !== alg) return false;
  try {
    return verify(hashOf[alg], Buffer.from(jwt.signingInput), { key: publicKey, dsaEncoding: 'ieee-p1363' }, jwt.signature);
  } catch {
    return false;
  }
}
