// The cluster's PKI: a CA made on first start, the API server's serving certificate and the admin client credential.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { webcrypto, randomBytes, X509Certificate } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { join } from 'node:path';

type X509Lib = typeof import('@peculiar/x509');

/** The certificate library is loaded only when something must be issued, keeping a warm start fast. */
async function x509Lib(): Promise<X509Lib> {
  await import('reflect-metadata');
  const lib = await import('@peculiar/x509');
  lib.cryptoProvider.set(webcrypto as never);
  return lib;
}

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const tenYears = 10 * 365 * 24 * 3600 * 1000;

export interface KeyPairPem {
  cert: string;
  key: string;
}

export interface ClusterPki {
  ca: KeyPairPem;
  server: KeyPairPem;
  admin: KeyPairPem;
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

async function importKey(pem: string): Promise<CryptoKey> {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return webcrypto.subtle.importKey('pkcs8', Buffer.from(b64, 'base64'), alg, true, ['sign']) as Promise<CryptoKey>;
}

const serial = () => randomBytes(16).toString('hex').replace(/^[89a-f]/, '1');
const genKeys = () => webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

async function makeCa(): Promise<KeyPairPem> {
  const x509 = await x509Lib();
  const keys = await genKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=dabba-ca',
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + tenYears),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey) };
}

async function issue(
  ca: KeyPairPem,
  subject: string,
  usage: 'server' | 'client',
  hosts: string[] = [],
): Promise<KeyPairPem> {
  const x509 = await x509Lib();
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await importKey(ca.key);
  const keys = await genKeys();
  const extensions: InstanceType<X509Lib['Extension']>[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  ];
  if (hosts.length) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        hosts.map((h) => (/^[0-9.]+$|:/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h })),
      ),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + tenYears),
    signingAlgorithm: alg,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions,
  });
  return { cert: cert.toString('pem') + '\n', key: await exportKey(keys.privateKey) };
}

async function readPair(dir: string, name: string): Promise<KeyPairPem | undefined> {
  try {
    return { cert: await readFile(join(dir, `${name}.crt`), 'utf8'), key: await readFile(join(dir, `${name}.key`), 'utf8') };
  } catch {
    return undefined;
  }
}

async function writePair(dir: string, name: string, pair: KeyPairPem): Promise<void> {
  await writeFile(join(dir, `${name}.crt`), pair.cert, { mode: 0o644 });
  await writeFile(join(dir, `${name}.key`), pair.key, { mode: 0o600 });
}

/** The hosts the serving certificate is valid for, whatever `--host` the server listens on. */
export function servingHosts(host: string): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', '10.96.0.1', host])].filter(
    (h) => h !== '0.0.0.0' && h !== '::',
  );
}

/** Loads the PKI from `<dataDir>/pki`, creating whatever is missing; the serving cert is re-issued when hosts change. */
export async function ensurePki(dataDir: string, host: string): Promise<ClusterPki> {
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let ca = await readPair(dir, 'ca');
  let fresh = false;
  if (!ca) {
    ca = await makeCa();
    await writePair(dir, 'ca', ca);
    fresh = true;
  }
  const hosts = servingHosts(host);
  let server = fresh ? undefined : await readPair(dir, 'apiserver');
  if (server) {
    const san = new X509Certificate(server.cert).subjectAltName ?? '';
    // OpenSSL prints IPv6 addresses expanded (0:0:0:0:0:0:0:1); compare canonical forms.
    const canon = (h: string) => (h.includes(':') ? new URL(`http://[${h}]`).hostname : h);
    const have = new Set(san.split(', ').map((n) => canon(n.replace(/^(DNS|IP Address):/, ''))));
    if (!hosts.every((h) => have.has(canon(h)))) server = undefined;
  }
  if (!server) {
    server = await issue(ca, 'CN=kube-apiserver', 'server', hosts);
    await writePair(dir, 'apiserver', server);
  }
  let admin = fresh ? undefined : await readPair(dir, 'admin');
  if (!admin) {
    admin = await issue(ca, 'CN=kubernetes-admin, O=system:masters', 'client');
    await writePair(dir, 'admin', admin);
  }
  return { ca, server, admin };
}

/** Reads user and groups from a verified client certificate (CN = user, O = groups), as the apiserver does. */
export function identityFromCertificate(subject: Record<string, string | string[] | undefined>): { name: string; groups: string[] } {
  const cn = subject.CN;
  const o = subject.O;
  return {
    name: Array.isArray(cn) ? cn[0] : (cn ?? ''),
    groups: o === undefined ? [] : Array.isArray(o) ? o : [o],
  };
}
