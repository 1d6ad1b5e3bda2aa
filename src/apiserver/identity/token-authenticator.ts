// Authenticates `Authorization: Bearer <jwt>` requests with service account tokens this cluster signed.
import type { IncomingMessage } from 'node:http';
import { InvalidCredentialError, type Authenticator } from '../auth/authenticator.ts';
import { goQuote } from '../../machinery/field-errors.ts';
import type { UserInfo } from '../registry/request-context.ts';
import { parseJwt, verifyJwtSignature } from './jwt.ts';
import type { SigningKey } from './signing-key.ts';
import { TokenValidationError, userInfoOf, validateServiceAccountClaims, type BoundObjectGetter } from './service-account-token.ts';

export interface TokenAuthentication {
  user: UserInfo;
  /** The audiences of the token that the request's target accepts. */
  audiences: string[];
}

/** Go's `%q` of a []string: `["a" "b"]`. */
const goStrings = (v: readonly string[]) => `[${v.map(goQuote).join(' ')}]`;

export interface ServiceAccountTokenAuthenticatorOptions {
  key: () => SigningKey;
  issuer: () => string;
  /** The API server's audiences (the issuer): what a token must be meant for by default. */
  audiences: () => string[];
  getter: BoundObjectGetter;
  now?: () => number;
}

export class ServiceAccountTokenAuthenticator implements Authenticator {
  readonly #o: ServiceAccountTokenAuthenticatorOptions;

  constructor(o: ServiceAccountTokenAuthenticatorOptions) {
    this.#o = o;
  }

  /**
   * AuthenticateToken: undefined when the token is not one of ours (another issuer, not a JWT); throws
   * TokenValidationError when it is ours but fails a check.
   */
  async authenticateToken(token: string, requestedAudiences?: string[]): Promise<TokenAuthentication | undefined> {
    const jwt = parseJwt(token);
    if (!jwt || jwt.payload.iss !== this.#o.issuer()) return undefined;
    const key = this.#o.key();
    if (!verifyJwtSignature(jwt, key.publicKey, key.alg)) throw new TokenValidationError('go-jose/go-jose: error in cryptographic primitive');
    const implicit = this.#o.audiences();
    const aud = jwt.payload.aud;
    let tokenAudiences = Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : typeof aud === 'string' ? [aud] : [];
    if (tokenAudiences.length === 0) tokenAudiences = implicit;
    const wanted = requestedAudiences ?? implicit;
    const audiences = tokenAudiences.filter((a) => wanted.includes(a));
    if (audiences.length === 0 && implicit.length > 0) {
      throw new TokenValidationError(`token audiences ${goStrings(tokenAudiences)} is invalid for the target audiences ${goStrings(wanted)}`);
    }
    const info = await validateServiceAccountClaims(jwt.payload, this.#o.getter, (this.#o.now ?? Date.now)());
    return { user: userInfoOf(info), audiences };
  }

  /** The request chain: a bearer token we cannot verify is a 401, never anonymity. */
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const token = bearerToken(req);
    if (token === undefined) return undefined;
    if (token === '') throw new InvalidCredentialError('invalid bearer token');
    try {
      const r = await this.authenticateToken(token);
      if (!r) throw new InvalidCredentialError('invalid bearer token');
      return r.user;
    } catch (e) {
      if (e instanceof TokenValidationError) throw new InvalidCredentialError(e.message, { cause: e });
      throw e;
    }
  }
}

/** The token of an `Authorization: Bearer` header ('' when empty), or undefined when there is none. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const auth = String(req.headers.authorization ?? '').trim();
  if (!auth) return undefined;
  const parts = auth.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  return parts[1];
}
