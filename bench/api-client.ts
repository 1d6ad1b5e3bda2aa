// A minimal HTTPS client for the benchmarks: the kubeconfig's client certificate over keep-alive node:https agents.
import { readFile } from 'node:fs/promises';
import { Agent, request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { parse } from 'yaml';

export interface Credentials {
  server: URL;
  ca: string;
  cert: string;
  key: string;
}

interface KubeconfigFile {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

export async function readCredentials(kubeconfigPath: string): Promise<Credentials> {
  const kc = parse(await readFile(kubeconfigPath, 'utf8')) as KubeconfigFile;
  return {
    server: new URL(kc.clusters[0].cluster.server),
    ca: unb64(kc.clusters[0].cluster['certificate-authority-data']),
    cert: unb64(kc.users[0].user['client-certificate-data']),
    key: unb64(kc.users[0].user['client-key-data']),
  };
}

export interface ApiResponse {
  status: number;
  body: string;
}

export class ApiClient {
  readonly creds: Credentials;
  readonly agent: Agent;

  constructor(creds: Credentials, maxSockets: number) {
    this.creds = creds;
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, ca: creds.ca, cert: creds.cert, key: creds.key });
  }

  options(method: string, path: string): RequestOptions {
    return {
      host: this.creds.server.hostname,
      port: this.creds.server.port,
      method,
      path,
      agent: this.agent,
      ca: this.creds.ca,
      cert: this.creds.cert,
      key: this.creds.key,
      headers: { Accept: 'application/json' },
    };
  }

  /** Sends one request and reads the whole response. */
  send(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const opts = this.options(method, path);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      if (payload !== undefined) opts.headers = { ...opts.headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) };
      const req = request(opts, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Sends a request that must succeed with one of `ok` and returns its parsed JSON body. */
  async json<T>(method: string, path: string, body?: unknown, ok: readonly number[] = [200, 201]): Promise<T> {
    const r = await this.send(method, path, body);
    if (!ok.includes(r.status)) throw new Error(`${method} ${path}: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A ConfigMap of about 1 KiB, the object every write benchmark creates. */
export function configMap(name: string, namespace = 'default'): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { app: 'dabba-bench' } },
    data: { 'payload.txt': 'x'.repeat(1000), note: name },
  };
}
