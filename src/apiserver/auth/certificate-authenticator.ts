// Authenticates requests by their TLS client certificate, verified against the cluster CA (CN = user, O = groups).
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { identityFromCertificate } from '../pki/certificates.ts';
import type { UserInfo } from '../registry/request-context.ts';
import type { Authenticator } from './authenticator.ts';

export class CertificateAuthenticator implements Authenticator {
  /** A connection's certificate never changes: read once per socket (watches and keep-alive reuse them a lot). */
  readonly #bySocket = new WeakMap<TLSSocket, UserInfo | undefined>();

  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const sock = req.socket as TLSSocket;
    if (!sock.authorized) return undefined;
    if (this.#bySocket.has(sock)) return copy(this.#bySocket.get(sock));
    const cert = sock.getPeerCertificate();
    let user: UserInfo | undefined;
    if (cert?.subject) {
      const id = identityFromCertificate(cert.subject as unknown as Record<string, string>);
      user = { name: id.name, groups: [...new Set([...id.groups, 'system:authenticated'])] };
    }
    this.#bySocket.set(sock, user);
    return copy(user);
  }
}

/** Each request gets its own UserInfo: later stages (impersonation) must not change the cached one. */
const copy = (u: UserInfo | undefined): UserInfo | undefined => u && { ...u, groups: [...u.groups] };
