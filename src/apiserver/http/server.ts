// The HTTPS front door: client-certificate authentication, health and version endpoints, discovery, OpenAPI, resources.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { StatusError } from '../../machinery/status-error.ts';
import type { ClusterPki } from '../pki/certificates.ts';
import type { RequestContext, UserInfo } from '../registry/request-context.ts';
import { InvalidCredentialError, type Authenticator } from '../auth/authenticator.ts';
import type { Authorizer } from '../auth/authorizer.ts';
import { forbiddenError } from '../auth/forbidden.ts';
import { impersonate } from '../auth/impersonation.ts';
import { pathAttributes, resourceAttributes } from '../auth/request-attributes.ts';
import { aggregatedContentType, type Discovery } from '../discovery/discovery.ts';
import { openApiV2Protobuf, type SchemaCatalog } from '../openapi/schema-catalog.ts';
import { parseAccept } from './negotiation.ts';
import { parseRequestPath } from './request-info.ts';
import type { ResourceHandler } from './resource-handler.ts';
import { writeJson, writeStatus } from './response.ts';
import { loadYaml } from './yaml-codec.ts';
import { holdUpgrade } from '../streams/upgrade.ts';

// `import … from 'node:http'` builds an ES module facade that reads every export, and node:http's WebSocket getters
// then load undici (~20 ms and ~6 MiB at start-up); the CommonJS exports object has the same classes without that.
const { ServerResponse: HttpServerResponse } = process.getBuiltinModule('node:http');

export const serverVersion = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.0+dabba',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-01T00:00:00Z',
  goVersion: 'go1.24.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Paths anyone may read, as upstream's system:public-info-viewer role allows. */
const publicPaths = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

/** The API port could not be opened; the message names the flag to change. */
export class ListenError extends Error {
  readonly code = 'APISERVER_LISTEN';
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    const why =
      cause.code === 'EADDRINUSE'
        ? `--port ${port}: the port is already in use on ${host} (another dabba or API server?); choose another with --port, or --port 0 for a free one`
        : cause.code === 'EADDRNOTAVAIL'
          ? `--host ${host}: not an address of this machine; use 127.0.0.1 (the default) or 0.0.0.0 for every interface`
          : cause.code === 'EACCES'
            ? `--port ${port}: permission denied; ports below 1024 need root, choose one above 1024`
            : `cannot listen on ${host}:${port}: ${cause.message}`;
    super(why, { cause });
  }
}

export interface HttpServerDeps {
  pki: ClusterPki;
  /** The current discovery documents (they change when CRDs come and go). */
  discovery(): Discovery;
  authenticators: Authenticator[];
  authorizer: Authorizer;
  schemas: SchemaCatalog;
  resources: ResourceHandler;
  ready(): boolean;
  log(msg: string, fields?: Record<string, unknown>): void;
}

export class ApiHttpServer {
  readonly #deps: HttpServerDeps;
  readonly #server: Server;
  readonly #upgraded = new Set<Duplex>();
  #address = '';

  constructor(deps: HttpServerDeps) {
    this.#deps = deps;
    this.#server = createServer(
      {
        key: deps.pki.server.key,
        cert: deps.pki.server.cert,
        ca: deps.pki.ca.cert,
        requestCert: true,
        rejectUnauthorized: false,
        keepAliveTimeout: 60_000,
      },
      (req, res) => void this.#serve(req, res),
    );
    this.#server.headersTimeout = 60_000;
    this.#server.requestTimeout = 0;
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head));
  }

  /**
   * Upgrade requests (exec/attach/port-forward over WebSocket or SPDY) are authenticated, authorized and routed like
   * any request; the subresource handler that accepts one takes the socket (streams/upgrade.ts). Any other reply is
   * written as a normal response on that socket, which then closes.
   */
  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    holdUpgrade(req, socket, head);
    this.#upgraded.add(socket);
    socket.once('close', () => this.#upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    const res = new HttpServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.on('finish', () => {
      res.detachSocket(socket as Socket);
      socket.end();
    });
    void this.#serve(req, res);
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', (e: NodeJS.ErrnoException) => reject(new ListenError(host, port, e)));
      this.#server.listen(port, host, () => {
        const a = this.#server.address();
        const p = typeof a === 'object' && a ? a.port : port;
        this.#address = `${host.includes(':') ? `[${host}]` : host}:${p}`;
        resolve(p);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
      // Upgraded connections (exec, port-forward) are no longer the HTTP server's to close.
      for (const s of this.#upgraded) s.destroy();
    });
  }

  async #authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    for (const a of this.#deps.authenticators) {
      try {
        const u = await a.authenticate(req);
        if (u) return u;
      } catch (e) {
        if (e instanceof InvalidCredentialError) throw StatusError.unauthorized();
        throw e;
      }
    }
    return undefined;
  }

  /** When the last request arrived (performance.now()), or -Infinity. */
  lastRequestAt = -Infinity;

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.lastRequestAt = performance.now();
    const warnings: string[] = [];
    try {
      const url = new URL(req.url ?? '/', 'https://dabba');
      const authenticated = await this.#authenticate(req);
      const isPublic = publicPaths.has(url.pathname);
      if (!authenticated && !isPublic) throw StatusError.unauthorized();
      const user = authenticated ? await impersonate(req, authenticated, this.#deps.authorizer) : undefined;
      const info = parseRequestPath(url.pathname);
      if (user && !isPublic) {
        const attrs = info.type === 'resource' ? resourceAttributes(req, url, info, user) : pathAttributes(req, url, user);
        const d = await this.#deps.authorizer.authorize(attrs);
        if (!d.allowed) throw forbiddenError(attrs, d.reason);
      }
      const ctx: RequestContext = {
        user: user ?? { name: 'system:anonymous', groups: ['system:unauthenticated'] },
        dryRun: false,
        warnings,
        fieldManager: url.searchParams.get('fieldManager') ?? undefined,
      };
      if (/yaml/i.test(`${req.headers.accept ?? ''} ${req.headers['content-type'] ?? ''}`)) await loadYaml();
      if (info.type === 'resource') {
        if (!this.#deps.discovery().hasGroupVersion(info.group, info.version)) throw StatusError.notFoundPath();
        if (!info.resource) throw StatusError.notFoundPath();
        await this.#deps.resources.handle({ req, res, url, info, ctx });
        return;
      }
      this.#servePath(req, res, url);
    } catch (e) {
      const err = e instanceof StatusError ? e : StatusError.internal(e);
      if (err.code >= 500) this.#deps.log('request failed', { method: req.method, url: req.url, error: String((e as Error)?.stack ?? e) });
      writeStatus(res, err, warnings);
    }
  }

  #servePath(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const d = this.#deps.discovery();
    if (req.method !== 'GET' && req.method !== 'HEAD') throw StatusError.notFoundPath();
    switch (path) {
      case '/healthz':
      case '/livez':
        return this.#text(res, 200, 'ok');
      case '/readyz':
        return this.#deps.ready() ? this.#text(res, 200, 'ok') : this.#text(res, 500, '[-]dabba-components-started failed: not started yet\nreadyz check failed');
      case '/version':
        return writeJson(res, 200, serverVersion);
      case '/api':
      case '/apis': {
        const agg = this.#aggregatedVersion(req.headers.accept);
        if (agg) return writeJson(res, 200, d.aggregated(path === '/api', agg), [], false, aggregatedContentType(agg));
        return writeJson(res, 200, path === '/api' ? d.apiVersions(this.#address) : d.apiGroupList());
      }
      case '/openapi/v2':
        res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': '0' });
        res.end(openApiV2Protobuf);
        return;
      case '/openapi/v3':
        return this.#raw(res, this.#deps.schemas.v3Index());
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = this.#deps.schemas.v3Document(path.slice('/openapi/v3/'.length));
      if (!doc) throw StatusError.notFoundPath();
      res.setHeader('Etag', `"${doc.hash}"`);
      res.setHeader('Cache-Control', url.searchParams.get('hash') === doc.hash ? 'public, immutable' : 'no-cache, private');
      return this.#raw(res, doc.body);
    }
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts.length === 2) {
      const list = d.resourceList('', parts[1]);
      if (list) return writeJson(res, 200, list);
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = d.apiGroup(parts[1]);
      if (g) return writeJson(res, 200, g);
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const list = d.resourceList(parts[1], parts[2]);
      if (list) return writeJson(res, 200, list);
    }
    if (path === '/') {
      return writeJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
    }
    throw StatusError.notFoundPath();
  }

  #aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
    for (const r of parseAccept(accept)) {
      if (r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io') {
        if (r.params.v === 'v2' || r.params.v === 'v2beta1') return r.params.v;
      }
      if (r.type === 'application/json' && !r.params.as) return undefined;
    }
    return undefined;
  }

  #text(res: ServerResponse, code: number, body: string): void {
    res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  #raw(res: ServerResponse, body: string): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  }
}
