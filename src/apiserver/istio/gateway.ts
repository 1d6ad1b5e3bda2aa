// istiod's validation of a Gateway: its name, servers (hosts, ports, binds) and server-side TLS settings.
import { appendErrors, appendValidation, appendWarning, goQuote as q, type ConfigError, type Validation } from './config-errors.ts';
import { isDNS1123Label, validateIPAddress, validateNamespaceSlashWildcardHostname } from './hosts.ts';
import { list } from './http-rules.ts';
import { isHTTP, isTLS, parseProtocol, validatePort } from './ports.ts';
import type { IstioConfig } from './istio-config.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- specs are untyped JSON read defensively */

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const gatewaySemanticsAnnotation = 'internal.istio.io/gateway-semantics';
const unixPrefix = 'unix://';

/** Cipher suites Envoy's BoringSSL offers (`bssl ciphers -openssl-name ALL`, without PSK). */
const cipherSuites = new Set([
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA',
  'ECDHE-ECDSA-AES256-SHA', 'ECDHE-RSA-AES256-SHA', 'AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA',
]);

/** Expressions such as `-AES128-SHA` or `+x` are not parsed, only accepted. */
const isValidCipherSuite = (cs: string) => cs === '' || cs === 'ALL' || !/^[\p{L}\p{N}]/u.test(cs) || cipherSuites.has(cs);

/** Go's %v of a sorted []string. */
const goList = (xs: Iterable<string>) => `[${[...xs].sort().join(' ')}]`;

/** Go's %v of a Port message (its compact text form), for messages that print the port. */
function portText(port: any): string {
  const parts: string[] = [];
  if (num(port.number) !== 0) parts.push(`number:${num(port.number)}`);
  if (str(port.protocol) !== '') parts.push(`protocol:${q(str(port.protocol))}`);
  if (str(port.name) !== '') parts.push(`name:${q(str(port.name))}`);
  if (num(port.targetPort) !== 0) parts.push(`target_port:${num(port.targetPort)}`);
  return parts.join(' ');
}

function validateUnixAddress(addr: string): string | undefined {
  if (addr.length === 0) return 'unix address must not be empty';
  if (addr.startsWith('@')) return undefined;
  if (!addr.startsWith('/') || addr.endsWith('/')) return `${addr} is not an absolute path to a file`;
  return undefined;
}

function validateServerPort(port: any, bind: string): Validation {
  if (port == null) return { err: 'port is required' };
  let v: Validation = {};
  if (parseProtocol(port.protocol) === 'UnsupportedProtocol') {
    v = appendValidation(v, `invalid protocol ${q(str(port.protocol))}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`);
  }
  if (num(port.number) > 0 || !bind.startsWith(unixPrefix)) v = appendValidation(v, validatePort(num(port.number)));
  if (num(port.targetPort) > 0) v = appendValidation(v, 'targetPort has no impact on Gateways');
  if (str(port.name) === '') v = appendValidation(v, `port name must be set: ${portText(port)}`);
  return v;
}

function validateServerBind(port: any, bind: string): ConfigError | undefined {
  let errs: ConfigError | undefined;
  if (bind.startsWith(unixPrefix)) {
    errs = appendErrors(errs, validateUnixAddress(bind.slice(unixPrefix.length)));
    if (port != null && num(port.number) !== 0) errs = appendErrors(errs, `port number must be 0 for unix domain socket: ${portText(port)}`);
  } else if (bind.length !== 0) {
    errs = appendErrors(errs, validateIPAddress(bind));
  }
  return errs;
}

/** Server-side TLS settings; the mode defaults to PASSTHROUGH (the enum's zero value). */
function validateTLSOptions(tls: any): Validation {
  let v: Validation = {};
  if (tls == null) return v;
  const mode = str(tls.mode) || 'PASSTHROUGH';
  const minVersion = str(tls.minProtocolVersion);
  const ciphers = list(tls.cipherSuites).map(str);
  if ((minVersion === 'TLSV1_0' || minVersion === 'TLSV1_1') && ciphers.length === 0) {
    v = appendWarning(v, 'TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.');
  }
  const invalid = new Set<string>();
  const valid = new Set<string>();
  const duplicate = new Set<string>();
  for (const cs of ciphers) {
    if (!isValidCipherSuite(cs)) invalid.add(cs);
    else if (valid.has(cs)) duplicate.add(cs);
    else valid.add(cs);
  }
  if (invalid.size > 0) v = appendWarning(v, `ignoring invalid cipher suites: ${goList(invalid)}`);
  if (duplicate.size > 0) v = appendWarning(v, `ignoring duplicate cipher suites: ${goList(duplicate)}`);

  const serverCertificate = str(tls.serverCertificate);
  const privateKey = str(tls.privateKey);
  const caCertificates = str(tls.caCertificates);
  const credentialName = str(tls.credentialName);
  const credentialNames = list(tls.credentialNames);
  const tlsCertificates = list(tls.tlsCertificates);
  if (mode === 'ISTIO_MUTUAL') {
    // Istio's own certificates are used; nothing else may be configured.
    if (serverCertificate !== '') v = appendValidation(v, 'ISTIO_MUTUAL TLS cannot have associated server certificate');
    if (privateKey !== '') v = appendValidation(v, 'ISTIO_MUTUAL TLS cannot have associated private key');
    if (caCertificates !== '') v = appendValidation(v, 'ISTIO_MUTUAL TLS cannot have associated CA bundle');
    if (tlsCertificates.length > 0) v = appendValidation(v, 'ISTIO_MUTUAL TLS cannot have associated tlsCertificates');
    if (credentialName !== '') v = appendValidation(v, 'ISTIO_MUTUAL TLS cannot have associated credentialName');
    if (credentialNames.length > 0) v = appendValidation(v, 'ISTIO_MUTUAL TLS cannot have associated credentialNames');
    return v;
  }
  if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
    const hasCerts =
      str(tls.caCrl) !== '' || serverCertificate !== '' || privateKey !== '' || caCertificates !== '' ||
      tlsCertificates.length > 0 || credentialName !== '' || credentialNames.length > 0;
    if (hasCerts) v = appendWarning(v, `${mode} mode does not use certificates, they will be ignored`);
  }
  let sources = 0;
  if (serverCertificate !== '' && privateKey !== '') sources++;
  if (credentialName !== '') sources++;
  if (credentialNames.length > 0) sources++;
  if (tlsCertificates.length > 0) sources++;
  if (sources > 1) v = appendValidation(v, 'only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified');
  const terminating = mode === 'SIMPLE' || mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL';
  // With a credential name the certificates are fetched from a secret.
  if (terminating && (credentialName !== '' || credentialNames.length > 0)) return v;
  if (terminating) {
    const prefix = mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
    if (prefix === 'MUTUAL TLS' && caCertificates === '') v = appendValidation(v, `${prefix} requires a client CA bundle`);
    if (tlsCertificates.length > 2) v = appendWarning(v, `${prefix} can support up to 2 server certificates`);
    const certs = tlsCertificates.length > 0 ? tlsCertificates : [{ serverCertificate, privateKey }];
    for (const cert of certs) {
      if (str(cert.serverCertificate) === '') v = appendValidation(v, `${prefix} requires a server certificate`);
      if (str(cert.privateKey) === '') v = appendValidation(v, `${prefix} requires a private key`);
    }
  }
  if (str(tls.caCrl) !== '') {
    if (credentialName !== '') v = appendValidation(v, 'CRL is not supported with credentialName. CRL has to be specified in the credential');
    if (mode === 'SIMPLE') v = appendValidation(v, 'CRL is not supported with SIMPLE TLS');
  }
  return v;
}

function validateServer(server: any, gatewaySemantics: boolean): Validation {
  let v: Validation = {};
  const hosts = list(server.hosts).map(str);
  if (hosts.length === 0) v = appendValidation(v, 'server config must contain at least one host');
  for (const h of hosts) v = appendValidation(v, validateNamespaceSlashWildcardHostname(h, true, gatewaySemantics));
  const bind = str(server.bind);
  const portV = validateServerPort(server.port, bind);
  v = appendValidation(v, portV);
  v = appendValidation(v, validateServerBind(server.port, bind));
  v = appendValidation(v, validateTLSOptions(server.tls));
  if (portV.err === undefined) {
    const p = parseProtocol(server.port.protocol);
    if (isTLS(p) && server.tls == null) {
      v = appendValidation(v, 'server must have TLS settings for HTTPS/TLS protocols');
    } else if (!isTLS(p) && server.tls != null) {
      if (isHTTP(p)) {
        // A plain HTTP server may only carry an https redirect.
        const mode = str(server.tls.mode) || 'PASSTHROUGH';
        const passthrough = mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH';
        if (!passthrough || str(server.tls.caCertificates) !== '' || str(server.tls.privateKey) !== '' || str(server.tls.serverCertificate) !== '') {
          v = appendValidation(v, 'server cannot have TLS settings for plain text HTTP ports');
        }
      } else {
        v = appendValidation(v, 'server cannot have TLS settings for non HTTPS/TLS ports');
      }
    }
  }
  return v;
}

export function validateGateway(cfg: IstioConfig): Validation {
  const gatewaySemantics = cfg.annotations[gatewaySemanticsAnnotation] === 'gateway';
  let v: Validation = {};
  if (!isDNS1123Label(cfg.name) && !gatewaySemantics) v = appendValidation(v, `invalid gateway name: ${q(cfg.name)}`);
  const servers = list(cfg.spec.servers);
  if (servers.length === 0) v = appendValidation(v, 'gateway must have at least one server');
  for (const s of servers) v = appendValidation(v, validateServer(s, gatewaySemantics));
  const portNames = new Set<string>();
  for (const s of servers) {
    if (s.port == null) continue;
    const name = str(s.port.name);
    if (portNames.has(name)) v = appendValidation(v, `port names in servers must be unique: duplicate name ${name}`);
    portNames.add(name);
    if (!isHTTP(parseProtocol(s.port.protocol)) && s.tls?.httpsRedirect === true) v = appendWarning(v, 'tls.httpsRedirect should only be used with http servers');
  }
  return v;
}
