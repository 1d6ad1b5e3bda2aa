// Who sent a request: client certificates verified by the cluster CA, bearer tokens, or nobody.
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../registry/request-context.ts';

export interface Authenticator {
  /** The user, or undefined when the request carries no credential this authenticator understands. */
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
}

/** Tries each authenticator in turn; the first that recognises a credential wins. */
export class UnionAuthenticator implements Authenticator {
  readonly #all: Authenticator[];
  constructor(all: Authenticator[]) {
    this.#all = all;
  }
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    for (const a of this.#all) {
      const u = await a.authenticate(req);
      if (u) return u;
    }
    return undefined;
  }
}

/** A bearer token that is present but invalid is an error (401), not anonymity. */
export class InvalidCredentialError extends Error {
  readonly code = 'AUTHN_INVALID_CREDENTIAL';
}
