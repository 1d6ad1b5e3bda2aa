// The Secret strategy: defaulting (type, stringData), the type kept on update, and TLS key-pair warnings.
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { printer } from './columns.ts';
import { setDefaults } from './defaults.ts';
import { validateCreate, validateUpdate } from './validation.ts';

export const strategy: Strategy = {
  defaults: setDefaults,

  prepareForUpdate(secret: KObject, old: KObject): void {
    // Kept from the old validation code upstream; defaulting has normally filled the type already.
    if (!secret.type) secret.type = old.type;
  },

  validate: validateCreate,
  validateUpdate,
  warnings: (secret: KObject) => warningsForSecret(secret),
  nameValidation: 'dns1123Subdomain',
  printer,

  selectableFields(secret: KObject): Record<string, string> {
    return { type: String(secret.type ?? '') };
  },
};

/** warningsForSecret: a kubernetes.io/tls Secret whose certificate and key do not form a pair. */
export function warningsForSecret(secret: KObject): string[] {
  if (secret.type !== 'kubernetes.io/tls') return [];
  const data = secret.data ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64').toString('latin1') : '');
  const problem = x509KeyPairError(text(data['tls.crt']), text(data['tls.key']));
  return problem ? [problem] : [];
}

interface PemBlock {
  type: string;
  pem: string;
}

function pemBlocks(input: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([^\n-]*)-----\r?\n[\s\S]*?-----END \1-----/g;
  for (const m of input.matchAll(re)) out.push({ type: m[1], pem: m[0] });
  return out;
}

/** Go's %v of a []string. */
const goList = (xs: string[]) => `[${xs.join(' ')}]`;

/** The error crypto/tls.X509KeyPair returns for a certificate and key in PEM form, or '' when they match. */
export function x509KeyPairError(certPEM: string, keyPEM: string): string {
  const certBlocks = pemBlocks(certPEM);
  const certs = certBlocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) return 'tls: failed to find any PEM data in certificate input';
    if (skipped.length === 1 && skipped[0].endsWith('PRIVATE KEY')) {
      return 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched';
    }
    return `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: ${goList(skipped)}`;
  }
  const skipped: string[] = [];
  let keyBlock: PemBlock | undefined;
  for (const b of pemBlocks(keyPEM)) {
    if (b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY')) {
      keyBlock = b;
      break;
    }
    skipped.push(b.type);
  }
  if (!keyBlock) {
    if (skipped.length === 0) return 'tls: failed to find any PEM data in key input';
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') return 'tls: found a certificate rather than a key in the PEM for the private key';
    return `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: ${goList(skipped)}`;
  }
  let certKey: KeyObject;
  try {
    certKey = new X509Certificate(certs[0].pem).publicKey;
  } catch {
    return 'x509: malformed certificate';
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(keyBlock.pem);
  } catch {
    return 'tls: failed to parse private key';
  }
  const family = (t: string | undefined) => (t === 'rsa-pss' ? 'rsa' : t);
  if (family(certKey.asymmetricKeyType) !== family(privateKey.asymmetricKeyType)) {
    return 'tls: private key type does not match public key type';
  }
  const der = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  if (!der(certKey).equals(der(createPublicKey(privateKey)))) return 'tls: private key does not match public key';
  return '';
}
