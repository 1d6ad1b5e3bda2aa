// Authenticates requests by their TLS client certificate, verified against the cluster CA (CN = user, O = groups).
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { identityFromCertificate } from '../pki/certificates.ts';
import type { UserInfo } from '../registry/request-context.ts';
import type { Authenticator } from './authenticator.ts';

export class CertificateAuthenticator implements Authenticator {
  async authenticate(req: IncomingMessage): Promise<UserInfo | undefined> {
    const sock = req.socket as TLSSocket;
    if (!sock.authorized) return undefined;
    const cert = sock.getPeerCertificate();
    if (!cert?.subject) return undefined;
    const id = identityFromCertificate(cert.subject as unknown as Record<string, string>);
    return { name: id.name, groups: [...new Set([...id.groups, 'system:authenticated'])] };
  }
}
