// Bound service-account tokens for projected volumes, requested through TokenRequest and refreshed as the kubelet's token manager does.
import type { KubeClient } from '../../client/client.ts';

export interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds: number;
  boundObjectRef?: { apiVersion: 'v1'; kind: 'Pod'; name: string; uid: string };
}

interface Cached {
  token: string;
  expiresAt: number;
  expirationSeconds: number;
}

const maxTTLMs = 24 * 3600_000;
const maxJitterMs = 10_000;

export type TokenClient = Pick<KubeClient, 'request'>;

export class ServiceAccountTokens {
  readonly #client: TokenClient;
  readonly #now: () => number;
  readonly #cache = new Map<string, Cached>();

  constructor(client: TokenClient, now: () => number = Date.now) {
    this.#client = client;
    this.#now = now;
  }

  /** A token for the service account, from the cache unless it needs a refresh. */
  async get(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<string> {
    const key = JSON.stringify([namespace, serviceAccount, spec.audiences ?? [], spec.expirationSeconds, spec.boundObjectRef?.uid ?? '']);
    const c = this.#cache.get(key);
    if (c && !this.requiresRefresh(c)) return c.token;
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`;
    const body = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { ...(spec.audiences?.length ? { audiences: spec.audiences } : {}), expirationSeconds: spec.expirationSeconds, ...(spec.boundObjectRef ? { boundObjectRef: spec.boundObjectRef } : {}) },
    };
    const tr = await this.#client.request<{ status?: { token?: string; expirationTimestamp?: string } }>('POST', path, body);
    const token = tr.status?.token ?? '';
    const expiresAt = Date.parse(tr.status?.expirationTimestamp ?? '') || this.#now() + spec.expirationSeconds * 1000;
    this.#cache.set(key, { token, expiresAt, expirationSeconds: spec.expirationSeconds });
    return token;
  }

  /** Tokens are renewed after 80% of their lifetime or after 24 hours, each with up to 10 s of jitter. */
  requiresRefresh(c: { expiresAt: number; expirationSeconds: number }): boolean {
    const now = this.#now();
    const iat = c.expiresAt - c.expirationSeconds * 1000;
    const jitter = Math.floor(Math.random() * (maxJitterMs / 1000)) * 1000;
    if (now > iat + maxTTLMs - jitter) return true;
    return now > c.expiresAt - Math.floor((c.expirationSeconds * 20) / 100) * 1000 - jitter;
  }

  /** Forgets a pod's tokens when it is gone. */
  forgetPod(uid: string): void {
    for (const k of this.#cache.keys()) if (JSON.parse(k)[4] === uid) this.#cache.delete(k);
  }
}
