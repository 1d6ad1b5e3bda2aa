// istiod's rules for the parts of a VirtualService HTTP route: matches, headers, CORS, faults, retries,
// redirects, rewrites, direct responses, mirrors and weighted destinations.
import {
  appendErrors,
  appendValidation,
  appendWarning,
  goQuote as q,
  multiAppend,
  type ConfigError,
  type Validation,
} from './config-errors.ts';
import { nanos, validateDuration } from './durations.ts';
import { isDNS1123Label, validateFQDN, validateWildcardDomain } from './hosts.ts';
import { validateLabels } from './labels.ts';
import { validatePort } from './ports.ts';
import { re2SyntaxError } from './re2-syntax.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- specs are untyped JSON read defensively */

export const present = (v: unknown): boolean => v !== undefined && v !== null;
export const list = (v: unknown): any[] => (Array.isArray(v) ? v.map((x) => x ?? {}) : []);
const entries = (v: unknown): [string, any][] => (v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

// --- header names and values -------------------------------------------------------------------------------------

const tchars = "!#$%&'*+\\-.^_`|~A-Za-z0-9";
const headerNameRe = new RegExp(`^[${tchars}]+$`);
const pseudoHeaders = new Set([':method', ':scheme', ':authority', ':path', ':status']);
// Envoy refuses control characters other than tab in header values.
const headerValueRe = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;

/** `@request.auth.claims.a.b` or `@request.auth.claims[a][b]`: routing on a JWT claim. */
export function isJwtClaimRoute(name: string): boolean {
  const prefix = '@request.auth.claims';
  if (!name.toLowerCase().startsWith(prefix)) return false;
  const rest = name.slice(prefix.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

export function validateHeaderNameOrJwtClaimRoute(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isJwtClaimRoute(name) || pseudoHeaders.has(name)) return undefined;
  return headerNameRe.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

const isInternalHeader = (k: string) => k.startsWith(':') || k.toLowerCase() === 'host';
const isAuthorityHeader = (k: string) => k.toLowerCase() === ':authority' || k.toLowerCase() === 'host';

/** Names in `headers.request.add|set`: `:authority`/`host` are allowed there (they rewrite the authority). */
function validateHeaderWithAuthorityOperationName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isInternalHeader(name) && !isAuthorityHeader(name)) return `invalid header ${q(name)}: header cannot have ":" prefix`;
  return undefined;
}

/** Names in `headers.request.remove` and all response header operations. */
function validateHeaderOperationName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.toLowerCase() === 'host') return `invalid header ${q(name)}: cannot set Host header`;
  if (isInternalHeader(name)) return `invalid header ${q(name)}: header cannot have ":" prefix`;
  return undefined;
}

/** Envoy's header formatter syntax: `%VAR%`, `%VAR(args)%`, `%%` for a literal percent sign. */
function headerFormatError(value: string): string | undefined {
  if (value === '') return undefined;
  type State = 'literal' | 'name' | 'array' | 'string' | 'inString' | 'delimiter' | 'argsEnd' | 'varEnd';
  let state: State = 'literal';
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos];
    const hasNext = pos + 1 < value.length;
    switch (state) {
      case 'literal':
        if (ch !== '%') break;
        if (!hasNext) return 'invalid header configuration. Un-escaped %';
        if (value[pos + 1] === '%') {
          pos++;
          break;
        }
        state = 'name';
        break;
      case 'name':
        if (ch === '%') state = 'literal';
        else if (ch === '(') state = 'array';
        break;
      case 'array':
        if (ch === '[') state = 'string';
        else if (ch !== ' ') state = 'inString';
        break;
      case 'delimiter':
        if (ch === ',') state = 'string';
        else if (ch === ']') state = 'argsEnd';
        else if (ch !== ' ') return "invalid header configuration. Expecting ',', ']', or whitespace";
        break;
      case 'string':
        if (ch === '"') state = 'inString';
        else if (ch !== ' ') return 'invalid header configuration. Expecting \'"\'';
        break;
      case 'inString':
        if (ch === '\\') {
          if (!hasNext) return 'invalid header configuration. Un-terminated backslash in JSON string';
          pos++;
        } else if (ch === ')') state = 'varEnd';
        else if (ch === '"') state = 'delimiter';
        break;
      case 'argsEnd':
        if (ch === ')') state = 'varEnd';
        else if (ch !== ' ') return "invalid header configuration. Expecting ')' or whitespace after '{}', but found '{}'";
        break;
      case 'varEnd':
        if (ch === '%') state = 'literal';
        else if (ch !== ' ') return "invalid header configuration. Expecting '%' or whitespace after";
        break;
    }
  }
  return state === 'literal' ? undefined : `invalid header configuration. Un-terminated variable expression '${value}'`;
}

function validateHeaderValue(value: string): string | undefined {
  if (!headerValueRe.test(value)) return `header value configuration ${value} is invalid`;
  const err = headerFormatError(value);
  return err ? `header value configuration: ${err}` : undefined;
}

/** `headers.request|response.set|add|remove` of a route or a destination, in istiod's order. */
export function validateHeaderOperations(headers: any, errs: ConfigError | undefined): ConfigError | undefined {
  const req = headers?.request;
  const res = headers?.response;
  for (const [name, val] of entries(req?.add)) errs = appendErrors(errs, validateHeaderWithAuthorityOperationName(name), validateHeaderValue(str(val)));
  for (const [name, val] of entries(req?.set)) errs = appendErrors(errs, validateHeaderWithAuthorityOperationName(name), validateHeaderValue(str(val)));
  for (const name of list(req?.remove)) errs = appendErrors(errs, validateHeaderOperationName(str(name)));
  for (const [name, val] of entries(res?.add)) errs = appendErrors(errs, validateHeaderOperationName(name), validateHeaderValue(str(val)));
  for (const [name, val] of entries(res?.set)) errs = appendErrors(errs, validateHeaderOperationName(name), validateHeaderValue(str(val)));
  for (const name of list(res?.remove)) errs = appendErrors(errs, validateHeaderOperationName(str(name)));
  return errs;
}

/** The authority may be rewritten in one place only: `rewrite.authority` or one `:authority`/`host` header. */
export function validateAuthorityRewrite(rewrite: any, headers: any): string | undefined {
  let current = str(rewrite?.authority);
  for (const ops of [headers?.request?.set, headers?.request?.add]) {
    for (const [k, v] of entries(ops)) {
      if (!isAuthorityHeader(k)) continue;
      if (current !== '') return `authority header cannot be set multiple times: have ${q(current)}, attempting to set ${q(str(v))}`;
      current = str(v);
    }
  }
  return undefined;
}

// --- string matches and regexes ----------------------------------------------------------------------------------

const matchType = (sm: any): 'exact' | 'prefix' | 'regex' | undefined =>
  sm == null ? undefined : 'exact' in sm && sm.exact != null ? 'exact' : 'prefix' in sm && sm.prefix != null ? 'prefix' : 'regex' in sm && sm.regex != null ? 'regex' : undefined;

export function validateStringRegexp(re: string, where: string): string | undefined {
  // Envoy bounds the RE2 program size; istiod approximates that by the length.
  if (Buffer.byteLength(re) > 1024) return `${q(where)}: regex is too large, max length allowed is 1024`;
  const err = re2SyntaxError(re);
  return err ? `${q(where)}: ${err}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)` : undefined;
}

export function validateStringMatchRegexp(sm: any, where: string): string | undefined {
  if (matchType(sm) !== 'regex') return undefined;
  if (str(sm.regex) === '') return `${q(where)}: regex string match should not be empty`;
  return validateStringRegexp(str(sm.regex), where);
}

/** Empty prefixes are refused except for `uri` (Envoy's header matchers need a non-empty prefix). */
export function validateStringMatch(sm: any, where: string): string | undefined {
  const t = matchType(sm);
  if (t === 'prefix' && str(sm.prefix) === '') return `${q(where)}: prefix string match should not be empty`;
  if (t === 'regex') return validateStringMatchRegexp(sm, where);
  return undefined;
}

// --- gateways ----------------------------------------------------------------------------------------------------

/** `gateways` entries: `<namespace>/<name>`, a bare name, or the legacy `<name>.<namespace>` (a warning). */
export function validateGatewayNames(names: unknown, gatewaySemantics: boolean): Validation {
  let v: Validation = {};
  for (const raw of list(names)) {
    const name = str(raw);
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.')) {
        const parts = name.split('.');
        v = appendWarning(v, `using legacy gatewayName format ${q(name)}; prefer the <namespace>/<name> format: ${q(`${parts[1]}/${parts[0]}`)}`);
      }
      // istiod stops at the first name without a namespace.
      return appendValidation(v, validateFQDN(name));
    }
    const ns = name.slice(0, slash);
    const gw = name.slice(slash + 1);
    if (ns.length === 0 || gw.length === 0) v = appendValidation(v, 'config namespace and gateway name cannot be empty');
    if (!isDNS1123Label(ns)) v = appendValidation(v, `invalid value for namespace: ${q(ns)}`);
    if (!isDNS1123Label(gw) && !gatewaySemantics) v = appendValidation(v, `invalid value for gateway name: ${q(gw)}`);
  }
  return v;
}

// --- match requests ----------------------------------------------------------------------------------------------

export function validateHTTPRouteMatchRequest(http: any): ConfigError | undefined {
  let errs: ConfigError | undefined;
  const matches = list(http.match);
  for (const match of matches) {
    for (const [name, header] of entries(match.headers)) {
      errs = appendErrors(errs, validateHeaderNameOrJwtClaimRoute(name), validateStringMatch(header, 'headers'));
    }
    for (const [name, header] of entries(match.withoutHeaders)) {
      errs = appendErrors(errs, validateHeaderNameOrJwtClaimRoute(name));
      // `regex: "*"` is not a regex but a presence match.
      if (header != null && str(header.regex) !== '*') errs = appendErrors(errs, validateStringMatch(header, 'withoutHeaders'));
    }
    // Envoy allows an empty prefix for the path, not for scheme, method or authority.
    errs = appendErrors(
      errs,
      validateStringMatchRegexp(match.uri, 'uri'),
      validateStringMatch(match.scheme, 'scheme'),
      validateStringMatch(match.method, 'method'),
      validateStringMatch(match.authority, 'authority'),
    );
    for (const [, qp] of entries(match.queryParams)) errs = appendErrors(errs, validateStringMatch(qp, 'queryParams'));
  }
  for (const match of matches) {
    if (num(match.port) !== 0) errs = appendErrors(errs, validatePort(num(match.port)));
    errs = appendErrors(errs, validateLabels(match.sourceLabels), validateGatewayNames(match.gateways, false));
    if (str(match.sourceNamespace) !== '' && !isDNS1123Label(str(match.sourceNamespace))) {
      errs = appendErrors(errs, `sourceNamespace match ${str(match.sourceNamespace)} is invalid`);
    }
  }
  return errs;
}

// --- CORS --------------------------------------------------------------------------------------------------------

const corsMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);

function validateCORSHeaderName(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name === '*') return undefined;
  return headerNameRe.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

export function validateCORSPolicy(policy: any): ConfigError | undefined {
  if (policy == null) return undefined;
  let errs: ConfigError | undefined;
  for (const origin of list(policy.allowOrigins)) {
    const t = matchType(origin);
    const m = t ? str(origin[t]) : '';
    errs = appendErrors(errs, m === '' ? `'${m}' is not a valid match type for CORS allow origins` : validateStringMatchRegexp(origin, 'corsPolicy.allowOrigins'));
  }
  for (const method of list(policy.allowMethods)) if (!corsMethods.has(str(method))) errs = appendErrors(errs, `${q(str(method))} is not a supported HTTP method`);
  for (const name of list(policy.allowHeaders)) errs = appendErrors(errs, validateCORSHeaderName(str(name)));
  for (const name of list(policy.exposeHeaders)) errs = appendErrors(errs, validateCORSHeaderName(str(name)));
  if (present(policy.maxAge)) {
    errs = appendErrors(errs, validateDuration(policy.maxAge));
    if (nanos(policy.maxAge) % 1_000_000_000n !== 0n) errs = multiAppend(errs, 'max_age duration is accurate only to seconds precision');
  }
  return errs;
}

// --- faults ------------------------------------------------------------------------------------------------------

const grpcStatuses = new Set([
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE',
  'DATA_LOSS', 'UNAUTHENTICATED',
]);

/** Go's %v of a float64 (shortest representation, exponent form for large and small values). */
export function goFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v);
  const exp = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = v.toExponential().split('e');
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(v);
}

/** Go's %f: six decimals. */
const goFixed = (v: number) => v.toFixed(6);

function validatePercentage(p: any): string | undefined {
  if (p == null) return undefined;
  const v = num(p.value);
  if (v < 0 || v > 100 || (v > 0 && v < 0.0001)) return `percentage ${goFloat(v)} is neither 0.0, nor in range [0.0001, 100.0]`;
  return undefined;
}

export function validateHTTPStatus(status: number): string | undefined {
  return status < 200 || status > 600 ? `HTTP status ${status} is not in range 200-599` : undefined;
}

function validateFaultAbort(abort: any): Validation {
  let v: Validation = {};
  if (abort == null) return v;
  v = appendValidation(v, validatePercentage(abort.percentage));
  if (present(abort.grpcStatus)) {
    if (!grpcStatuses.has(str(abort.grpcStatus))) {
      v = appendValidation(
        v,
        `gRPC status ${q(str(abort.grpcStatus))} is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'`,
      );
    }
  } else if (present(abort.http2Error)) {
    v = appendValidation(v, 'HTTP/2 abort fault injection not supported yet');
  } else if (present(abort.httpStatus)) {
    v = appendValidation(v, validateHTTPStatus(num(abort.httpStatus)));
  } else {
    v = appendWarning(v, 'abort configured, but error type not set');
  }
  return v;
}

function validateFaultDelay(delay: any): ConfigError | undefined {
  if (delay == null) return undefined;
  let errs = appendErrors(undefined, validatePercentage(delay.percentage));
  if (present(delay.fixedDelay)) errs = appendErrors(errs, validateDuration(delay.fixedDelay));
  else if (present(delay.exponentialDelay)) {
    errs = appendErrors(errs, validateDuration(delay.exponentialDelay));
    errs = multiAppend(errs, 'exponentialDelay not supported yet');
  }
  return errs;
}

/** Note: like istiod, an abort's warning is dropped here (faults are joined as plain errors). */
export function validateHTTPFaultInjection(fault: any): ConfigError | undefined {
  if (fault == null) return undefined;
  let errs: ConfigError | undefined;
  if (fault.abort == null && fault.delay == null) errs = multiAppend(errs, 'HTTP fault injection must have an abort and/or a delay');
  return appendErrors(errs, validateFaultAbort(fault.abort), validateFaultDelay(fault.delay));
}

// --- retries -----------------------------------------------------------------------------------------------------

const retryOnPolicies = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

/** HTTP status codes Go's net/http has a text for (StatusText(code) != ""). */
const knownStatusCodes = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424,
  425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

const goAtoi = (s: string): number => (/^[+-]?[0-9]+$/.test(s) ? Number(s) : 0);

export function validateHTTPRetry(retries: any): ConfigError | undefined {
  if (retries == null) return undefined;
  let errs: ConfigError | undefined;
  const attempts = num(retries.attempts);
  if (attempts < 0) errs = multiAppend(errs, 'attempts cannot be negative');
  if (attempts === 0 && (present(retries.perTryTimeout) || str(retries.retryOn) !== '' || present(retries.retryRemoteLocalities))) {
    errs = appendErrors(errs, 'http retry policy configured when attempts are set to 0 (disabled)');
  }
  if (present(retries.perTryTimeout)) errs = appendErrors(errs, validateDuration(retries.perTryTimeout));
  if (str(retries.retryOn) !== '') {
    for (const policy of str(retries.retryOn).split(',')) {
      if (!knownStatusCodes.has(goAtoi(policy)) && !retryOnPolicies.has(policy)) errs = appendErrors(errs, `${q(policy)} is not a valid retryOn policy`);
    }
  }
  if (present(retries.backoff)) errs = appendErrors(errs, validateDuration(retries.backoff));
  return errs;
}

// --- redirect, direct response, rewrite, mirrors -----------------------------------------------------------------

export function validateHTTPRedirect(redirect: any, matches: any[]): string | undefined {
  if (redirect == null) return undefined;
  const uri = str(redirect.uri);
  const prefixRewrite = str(redirect.prefixRewrite);
  if (uri !== '' && prefixRewrite !== '') return 'redirect may only specify one of uri or prefix_rewrite';
  if (prefixRewrite !== '') {
    for (const m of matches) if (m.uri != null && matchType(m.uri) !== 'prefix') return 'redirect prefix_rewrite requires all URI matches to use prefix match type';
  }
  const hasPort = present(redirect.port) || present(redirect.derivePort);
  if (uri === '' && prefixRewrite === '' && str(redirect.authority) === '' && !hasPort && str(redirect.scheme) === '') {
    return 'redirect must specify URI, authority, scheme, or port';
  }
  const code = num(redirect.redirectCode);
  if (code !== 0 && (code < 300 || code > 399)) return `${code} is not a valid redirect code, must be 3xx`;
  const scheme = str(redirect.scheme);
  if (scheme !== '' && scheme !== 'http' && scheme !== 'https') return 'invalid redirect scheme, must be "http" or "https"';
  if (num(redirect.port) > 0) return validatePort(num(redirect.port));
  return undefined;
}

const kb = 1024;
const mb = 1024 * kb;

export function validateHTTPDirectResponse(dr: any): Validation {
  let v: Validation = {};
  if (dr == null) return v;
  if (dr.body != null) {
    const size = present(dr.body.string) ? Buffer.byteLength(str(dr.body.string)) : present(dr.body.bytes) ? Buffer.from(str(dr.body.bytes), 'base64').length : 0;
    if (size > mb) v = appendValidation(v, 'large direct_responses may impact control plane performance, must be less than 1MB');
    else if (size > 100 * kb) v = appendWarning(v, 'large direct_responses may impact control plane performance');
  }
  return appendValidation(v, validateHTTPStatus(num(dr.status)));
}

export function validateHTTPRewrite(rewrite: any): string | undefined {
  if (rewrite == null) return undefined;
  const regex = rewrite.uriRegexRewrite;
  if (str(rewrite.uri) !== '' && regex != null) return 'rewrite may only contain one of URI or UriRegexRewrite';
  if (str(rewrite.uri) === '' && regex == null && str(rewrite.authority) === '') {
    return 'rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified';
  }
  if (regex != null) {
    const err =
      str(regex.match) === '' || str(regex.rewrite) === ''
        ? 'UriRegexRewrite requires both Rewrite and Match fields to be specified'
        : validateStringRegexp(str(regex.match), 'HTTPRewrite.UriRegexRewrite.Match');
    // errors.Join puts each error on its own line.
    if (err) return `UriRegexRewrite has errors\n${err}`;
  }
  return undefined;
}

function validateSubsetName(name: string): string | undefined {
  if (name.length === 0) return 'subset name cannot be empty';
  return isDNS1123Label(name) ? undefined : `subset name is invalid: ${name}`;
}
export { validateSubsetName };

export function validateDestination(dest: any): ConfigError | undefined {
  if (dest == null) return undefined;
  let errs: ConfigError | undefined;
  const host = str(dest.host);
  errs = appendErrors(errs, host === '*' ? `invalid destination host ${host}` : validateWildcardDomain(host));
  if (str(dest.subset) !== '') errs = appendErrors(errs, validateSubsetName(str(dest.subset)));
  if (dest.port != null) errs = appendErrors(errs, validatePort(num(dest.port.number)));
  return errs;
}

export function validateHTTPMirrors(mirrors: unknown): Validation {
  let v: Validation = {};
  for (const m of list(mirrors)) {
    if (m.destination == null) {
      v = appendValidation(v, 'destination is required for mirrors');
      continue;
    }
    v = appendValidation(v, validateDestination(m.destination));
    if (m.percentage != null) {
      const value = num(m.percentage.value);
      if (value > 100) v = appendValidation(v, `mirror percentage must have a max value of 100 (it has ${goFixed(value)})`);
      if (value < 0) v = appendValidation(v, `mirror percentage must have a min value of 0 (it has ${goFixed(value)})`);
    }
  }
  return v;
}

// --- destinations and weights ------------------------------------------------------------------------------------

function validateWeight(weight: number): string | undefined {
  return weight < 0 ? `weight ${weight} < 0` : undefined;
}

/** Weights need not add up to 100 (since Istio 1.15); only a negative weight or an all-zero split is refused. */
export function validateHTTPRouteDestinations(routes: unknown, gatewaySemantics: boolean): ConfigError | undefined {
  let errs: ConfigError | undefined;
  let total = 0;
  const items = list(routes);
  for (const r of items) {
    if (r.destination == null) errs = multiAppend(errs, 'destination is required');
    errs = validateHeaderOperations(r.headers, errs);
    if (!gatewaySemantics) errs = appendErrors(errs, validateDestination(r.destination));
    errs = appendErrors(errs, validateWeight(num(r.weight)));
    total += num(r.weight);
  }
  if (items.length > 1 && total === 0) errs = appendErrors(errs, 'total destination weight = 0');
  return errs;
}

/** TCP and TLS route destinations: the same weight rules, no header operations. */
export function validateRouteDestinations(routes: unknown, gatewaySemantics: boolean): ConfigError | undefined {
  let errs: ConfigError | undefined;
  let total = 0;
  const items = list(routes);
  for (const r of items) {
    if (r.destination == null) errs = multiAppend(errs, 'destination is required');
    if (!gatewaySemantics) errs = appendErrors(errs, validateDestination(r.destination));
    errs = appendErrors(errs, validateWeight(num(r.weight)));
    total += num(r.weight);
  }
  if (items.length > 1 && total === 0) errs = appendErrors(errs, 'total destination weight = 0');
  return errs;
}
