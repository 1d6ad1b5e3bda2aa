// A typed REST client for the cluster's API over HTTPS with the admin credential; what every controller uses.
import { Agent, request } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { KObject } from '../apiserver/registry/kobject.ts';

export interface ClientCredentials {
  server: string;
  ca: string;
  cert: string;
  key: string;
  /** Upstream components send e.g. `kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/…`; its first word names their field manager. */
  userAgent?: string;
}

/** A non-2xx reply, carrying the Status the server sent. */
export class ApiError extends Error {
  readonly code = 'CLIENT_API_ERROR';
  readonly status: number;
  readonly reason: string;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    const b = body as { message?: string; reason?: string } | undefined;
    super(b?.message ?? `HTTP ${status}`);
    this.status = status;
    this.reason = b?.reason ?? '';
    this.body = body;
  }
}

export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  limit?: number;
  continue?: string;
}

export interface WatchEventMessage {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KObject;
}

export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, sub?: string): string {
  let p = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (ref.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${ref.resource}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (sub) p += `/${sub}`;
  return p;
}

function query(o: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export class KubeClient {
  readonly #url: URL;
  readonly #agent: Agent;
  readonly #streams = new Set<IncomingMessage>();
  readonly #userAgent: string;

  constructor(creds: ClientCredentials) {
    this.#url = new URL(creds.server);
    this.#userAgent = creds.userAgent ?? 'kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/dabba';
    // One TLS context for every connection: given ca/cert/key instead, each new socket (every watch opens one)
    // would parse them into a context of its own, a millisecond of CPU and tens of KiB each.
    const secureContext = createSecureContext({ ca: creds.ca, cert: creds.cert, key: creds.key });
    this.#agent = new Agent({ keepAlive: true, maxSockets: 64, secureContext });
  }

  close(): void {
    for (const s of this.#streams) s.destroy();
    this.#agent.destroy();
  }

  #open(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        {
          host: this.#url.hostname.replace(/^\[|\]$/g, ''),
          port: this.#url.port,
          method,
          path,
          agent: this.#agent,
          headers: {
            Accept: 'application/json',
            'User-Agent': this.#userAgent,
            ...(data ? { 'Content-Type': contentType, 'Content-Length': data.length } : {}),
          },
        },
        resolve,
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  async request<T = KObject>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.#open(method, path, body, contentType);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if ((res.statusCode ?? 500) >= 300) throw new ApiError(res.statusCode ?? 500, parsed);
    return parsed as T;
  }

  get(ref: ResourceRef, namespace: string | undefined, name: string): Promise<KObject> {
    return this.request('GET', resourcePath(ref, namespace, name));
  }

  list(ref: ResourceRef, namespace?: string, opts: ListOptions = {}): Promise<{ metadata: { resourceVersion: string; continue?: string }; items: KObject[] }> {
    return this.request('GET', resourcePath(ref, namespace) + query({ ...opts }));
  }

  create(ref: ResourceRef, namespace: string | undefined, obj: KObject): Promise<KObject> {
    return this.request('POST', resourcePath(ref, namespace), obj);
  }

  update(ref: ResourceRef, obj: KObject, sub?: string): Promise<KObject> {
    return this.request('PUT', resourcePath(ref, obj.metadata.namespace, obj.metadata.name, sub), obj);
  }

  patch(ref: ResourceRef, namespace: string | undefined, name: string, patch: unknown, type: 'merge' | 'json' | 'strategic' = 'merge', sub?: string): Promise<KObject> {
    const ct = { merge: 'application/merge-patch+json', json: 'application/json-patch+json', strategic: 'application/strategic-merge-patch+json' }[type];
    return this.request('PATCH', resourcePath(ref, namespace, name, sub), patch, ct);
  }

  delete(ref: ResourceRef, namespace: string | undefined, name: string, options: Record<string, unknown> = {}): Promise<KObject> {
    return this.request('DELETE', resourcePath(ref, namespace, name), { kind: 'DeleteOptions', apiVersion: 'v1', ...options });
  }

  /** Opens a watch; `onEvent` gets each event, `onEnd` when the stream closes (with an error if it failed). */
  async watch(
    ref: ResourceRef,
    namespace: string | undefined,
    opts: ListOptions & { allowWatchBookmarks?: boolean; timeoutSeconds?: number },
    onEvent: (e: WatchEventMessage) => void,
    onEnd: (err?: Error) => void,
  ): Promise<() => void> {
    const res = await this.#open('GET', resourcePath(ref, namespace) + query({ ...opts, watch: 1 }));
    if ((res.statusCode ?? 500) >= 300) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      throw new ApiError(res.statusCode ?? 500, body);
    }
    this.#streams.add(res);
    let buf = '';
    let ended = false;
    const end = (err?: Error) => {
      if (ended) return;
      ended = true;
      this.#streams.delete(res);
      onEnd(err);
    };
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.trim()) continue;
        try {
          onEvent(JSON.parse(line) as WatchEventMessage);
        } catch (e) {
          end(e as Error);
          res.destroy();
          return;
        }
      }
    });
    res.on('end', () => end());
    res.on('error', (e) => end(e));
    res.on('close', () => end());
    return () => {
      res.destroy();
      end();
    };
  }
}
