// Bearer tokens carried as a WebSocket subprotocol (`base64url.bearer.authorization.k8s.io.<token>`), as browsers must send them.
import type { IncomingMessage } from 'node:http';
import { InvalidCredentialError, type Authenticator } from '../auth/authenticator.ts';
import type { UserInfo } from '../registry/request-context.ts';
import { TokenValidationError } from './service-account-token.ts';
import type { ServiceAccountTokenAuthenticator } from './token-authenticator.ts';

export const bearerProtocolPrefix = 'base64url.bearer.authorization.k8s.io.';

const isWebSocket = (req: IncomingMessage) =>
  /\bupgrade\b/i.test(String(req.headers.connection ?? '')) && String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';

export class WebSocketTokenAuthenticator implements Authenticator {
  readonly #tokens: ServiceAccountTokenAuthenticator;

  constructor(tokens: ServiceAccountTokenAuthenticator) {
    this.#tokens = tokens;
  }

  /** ProtocolAuthenticator: the token protocol is removed once it authenticates, leaving the real subprotocols. */
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    if (!isWebSocket(req)) return undefined;
    const header = req.headers['sec-websocket-protocol'];
    const protocols = (Array.isArray(header) ? header : [header ?? ''])
      .flatMap((h) => h.split(','))
      .map((p) => p.trim())
      .filter((p) => p !== '');
    let token = '';
    let seen = false;
    const others: string[] = [];
    for (const p of protocols) {
      if (!p.startsWith(bearerProtocolPrefix)) {
        others.push(p);
        continue;
      }
      if (seen) throw new InvalidCredentialError('multiple base64.bearer.authorization tokens specified');
      seen = true;
      const encoded = p.slice(bearerProtocolPrefix.length);
      if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new InvalidCredentialError('invalid base64.bearer.authorization token encoding');
      token = Buffer.from(encoded, 'base64url').toString('utf8');
    }
    if (token && others.length === 0) throw new InvalidCredentialError('missing additional subprotocol');
    if (!token) return undefined;
    try {
      const r = await this.#tokens.authenticateToken(token);
      if (!r) throw new InvalidCredentialError('invalid bearer token');
      req.headers['sec-websocket-protocol'] = others.join(',');
      return r.user;
    } catch (e) {
      if (e instanceof TokenValidationError) throw new InvalidCredentialError(e.message, { cause: e });
      throw e;
    }
  }
}
