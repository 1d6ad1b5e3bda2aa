// The key service account tokens are signed with: `<data-dir>/pki/sa.key`, made on first start (RSA 2048, as kubeadm's).
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'ES384' | 'ES512';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  alg: SigningAlgorithm;
  /** base64url(SHA-256(PKIX DER of the public key)), as upstream's keyIDFromPublicKey. */
  keyId: string;
}

/** Thrown when sa.key holds a key type tokens cannot be signed with. */
export class UnsupportedSigningKeyError extends Error {
  readonly code = 'IDENTITY_UNSUPPORTED_SIGNING_KEY';
}

function algorithmOf(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ES256';
    if (curve === 'secp384r1') return 'ES384';
    if (curve === 'secp521r1') return 'ES512';
  }
  throw new UnsupportedSigningKeyError(`service account signing key: unsupported key type ${key.asymmetricKeyType}`);
}

export function signingKeyFrom(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, alg: algorithmOf(privateKey), keyId: createHash('sha256').update(der).digest('base64url') };
}

/** Reads sa.key, or makes and writes it (with sa.pub beside it) when absent. */
export async function ensureSigningKey(dataDir: string): Promise<SigningKey> {
  const dir = join(dataDir, 'pki');
  const keyPath = join(dir, 'sa.key');
  try {
    return signingKeyFrom(createPrivateKey(await readFile(keyPath, 'utf8')));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const privateKey = await new Promise<KeyObject>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, _pub, priv) => (err ? reject(err) : resolve(priv))),
  );
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  try {
    await writeFile(keyPath, pem, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    // Another start raced us to it: use the key that won.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return signingKeyFrom(createPrivateKey(await readFile(keyPath, 'utf8')));
    throw e;
  }
  const key = signingKeyFrom(privateKey);
  await writeFile(join(dir, 'sa.pub'), key.publicKey.export({ type: 'spki', format: 'pem' }) as string, { mode: 0o644 });
  return key;
}
