// The cluster's PKI: a CA made on first start, the API server's serving certificate and the admin client credential.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { derToPem, issueCertificate, type DistinguishedName } from './x509-der.ts';

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

const caName: DistinguishedName = { commonName: 'dabba-ca' };

/** A positive 128-bit serial number. */
const serial = () => {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  return b;
};

const genKey = () =>
  new Promise<KeyObject>((resolve, reject) =>
    generateKeyPair('ec', { namedCurve: 'prime256v1' }, (err, _pub, priv) => (err ? reject(err) : resolve(priv))),
  );

const keyPem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + tenYears) };
}

async function makeCa(): Promise<KeyPairPem> {
  const key = await genKey();
  const pub = createPublicKey(key);
  const der = issueCertificate({
    serial: serial(),
    subject: caName,
    issuer: caName,
    ...validity(),
    publicKey: pub,
    signingKey: key,
    issuerPublicKey: pub,
    isCA: true,
  });
  return { cert: derToPem(der), key: keyPem(key) };
}

async function issue(ca: KeyPairPem, subject: DistinguishedName, usage: 'server' | 'client', hosts: string[] = []): Promise<KeyPairPem> {
  const caKey = createPrivateKey(ca.key);
  const key = await genKey();
  const der = issueCertificate({
    serial: serial(),
    subject,
    issuer: caName,
    ...validity(),
    publicKey: createPublicKey(key),
    signingKey: caKey,
    issuerPublicKey: createPublicKey(caKey),
    isCA: false,
    usage,
    hosts,
  });
  return { cert: derToPem(der), key: keyPem(key) };
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

/**
 * The hosts the serving certificate is valid for, whatever `--host` the server listens on: as kube-apiserver's
 * self-signed alternates, the `kubernetes` Service's names and its cluster IP (in-cluster clients verify it).
 */
export function servingHosts(host: string, serviceIP = '10.96.0.1'): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', serviceIP, host])].filter(
    (h) => h !== '0.0.0.0' && h !== '::',
  );
}

/** Loads the PKI from `<dataDir>/pki`, creating whatever is missing; the serving cert is re-issued when hosts change. */
export async function ensurePki(dataDir: string, host: string, serviceIP?: string): Promise<ClusterPki> {
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let ca = await readPair(dir, 'ca');
  let fresh = false;
  if (!ca) {
    ca = await makeCa();
    await writePair(dir, 'ca', ca);
    fresh = true;
  }
  const hosts = servingHosts(host, serviceIP);
  let server = fresh ? undefined : await readPair(dir, 'apiserver');
  if (server) {
    const san = new X509Certificate(server.cert).subjectAltName ?? '';
    // OpenSSL prints IPv6 addresses expanded (0:0:0:0:0:0:0:1); compare canonical forms.
    const canon = (h: string) => (h.includes(':') ? new URL(`http://[${h}]`).hostname : h);
    const have = new Set(san.split(', ').map((n) => canon(n.replace(/^(DNS|IP Address):/, ''))));
    if (!hosts.every((h) => have.has(canon(h)))) server = undefined;
  }
  if (!server) {
    server = await issue(ca, { commonName: 'kube-apiserver' }, 'server', hosts);
    await writePair(dir, 'apiserver', server);
  }
  let admin = fresh ? undefined : await readPair(dir, 'admin');
  if (!admin) {
    admin = await issue(ca, { commonName: 'kubernetes-admin', organizations: ['system:masters'] }, 'client');
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
