// Name and value format rules (DNS names, label keys and values, ports, IPs, …) with apimachinery v0.33's exact messages
// (k8s.io/apimachinery/pkg/util/validation as of Kubernetes 1.33).
import { type FieldError, type FieldPath, fieldInvalid, fieldRequired, goQuote } from './field-errors.ts';

/** Go's len(): strings are measured in UTF-8 bytes. */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function anchored(fmt: string): RegExp {
  return new RegExp(`^(?:${fmt})$`);
}

// ---- message builders (util/validation) ----

/**
 * `must be no more than N characters` (util/validation.MaxLenError). 1.33 says "characters" for
 * every rule, label keys and values included, although lengths are measured in bytes.
 */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `<msg> (e.g. 'a' or 'b', regex used for validation is '<fmt>')`, spaced exactly as upstream. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) s += ' or ';
    s += `'${ex}', `;
  });
  return `${s}regex used for validation is '${fmt}')`;
}

export function emptyError(): string {
  return 'must be non-empty';
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

// ---- DNS names ----

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123LabelMaxLength = 63;
const dns1123LabelRegexp = anchored(dns1123LabelFmt);

const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123SubdomainMaxLength = 253;
const dns1123SubdomainRegexp = anchored(dns1123SubdomainFmt);

const dns1123LabelFmtWithUnderscore = '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmtWithUnderscore = `${dns1123LabelFmtWithUnderscore}(\\.${dns1123LabelFmtWithUnderscore})*`;
const dns1123SubdomainErrorMsgFG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainRegexpWithUnderscore = anchored(dns1123SubdomainFmtWithUnderscore);

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const DNS1035LabelMaxLength = 63;
const dns1035LabelRegexp = anchored(dns1035LabelFmt);

const wildcardDNS1123SubdomainFmt = `\\*\\.${dns1123SubdomainFmt}`;
const wildcardDNS1123SubdomainErrMsg =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
const wildcardDNS1123SubdomainRegexp = anchored(wildcardDNS1123SubdomainFmt);

/** A DNS (RFC 1123) label: most object names that become hostnames, namespaces. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123LabelMaxLength) errs.push(maxLenError(DNS1123LabelMaxLength));
  if (!dns1123LabelRegexp.test(value)) {
    // A valid subdomain that is not a valid label can only be failing on its dots.
    if (dns1123SubdomainRegexp.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

/** A DNS (RFC 1123) subdomain: the default rule for object names. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!dns1123SubdomainRegexp.test(value)) {
    errs.push(regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, 'example.com'));
  }
  return errs;
}

export function isDNS1123SubdomainWithUnderscore(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!dns1123SubdomainRegexpWithUnderscore.test(value)) {
    // 1.33 quotes the plain subdomain regex here, not the one it matched against.
    errs.push(regexError(dns1123SubdomainErrorMsgFG, dns1123SubdomainFmt, 'example.com'));
  }
  return errs;
}

/** A DNS (RFC 1035) label: names that must start with a letter, such as Services. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035LabelMaxLength) errs.push(maxLenError(DNS1035LabelMaxLength));
  if (!dns1035LabelRegexp.test(value)) {
    errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  }
  return errs;
}

/** `*.example.com` (RFC 1034 section 4.3.3). */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!wildcardDNS1123SubdomainRegexp.test(value)) {
    errs.push(regexError(wildcardDNS1123SubdomainErrMsg, wildcardDNS1123SubdomainFmt, '*.example.com'));
  }
  return errs;
}

/** A subdomain with at least three dot-separated segments, no trailing dot. */
export function isFullyQualifiedName(path: FieldPath | string, name: string): FieldError[] {
  if (name.length === 0) return [fieldRequired(path)];
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [fieldInvalid(path, name, errs.join(','))];
  if (name.split('.').length < 3) {
    return [fieldInvalid(path, name, 'should be a domain with at least three segments separated by dots')];
  }
  return [];
}

/** A subdomain with at least two dot-separated segments; a trailing dot is allowed. */
export function isFullyQualifiedDomainName(path: FieldPath | string, name: string): FieldError[] {
  if (name.length === 0) return [fieldRequired(path)];
  if (name.endsWith('.')) name = name.slice(0, -1);
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [fieldInvalid(path, name, errs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) {
    return [fieldInvalid(path, name, 'should be a domain with at least two segments separated by dots')];
  }
  for (const label of labels) {
    const labelErrs = isDNS1123Label(label);
    if (labelErrs.length > 0) return [fieldInvalid(path, label, labelErrs.join(','))];
  }
  return [];
}

const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPathRegexp = anchored(httpPathFmt);

/** `acme.io/foo`: a subdomain, a slash, then RFC 3986 path characters. */
export function isDomainPrefixedPath(path: FieldPath | string, dpPath: string): FieldError[] {
  if (dpPath.length === 0) return [fieldRequired(path)];
  const slash = dpPath.indexOf('/');
  const host = slash < 0 ? dpPath : dpPath.slice(0, slash);
  const rest = slash < 0 ? '' : dpPath.slice(slash + 1);
  if (slash < 0 || host.length === 0 || rest.length === 0) {
    return [fieldInvalid(path, dpPath, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = isDNS1123Subdomain(host).map((msg) => fieldInvalid(path, host, msg));
  if (!httpPathRegexp.test(rest)) errs.push(fieldInvalid(path, rest, regexError('Invalid path', httpPathFmt)));
  return errs;
}

// ---- label keys (qualified names) and values ----

const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedNameRegexp = anchored(qualifiedNameFmt);

/** A qualified name / label key: `[prefix/]name` (finalizers, annotation keys, condition types, …). */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > qualifiedNameMaxLength) errs.push(`name part ${maxLenError(qualifiedNameMaxLength)}`);
  if (!qualifiedNameRegexp.test(name)) {
    errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LabelValueMaxLength = 63;
const labelValueRegexp = anchored(labelValueFmt);

export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LabelValueMaxLength) errs.push(maxLenError(LabelValueMaxLength));
  if (!labelValueRegexp.test(value)) {
    errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

// ---- identifiers and keys ----

const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*';
const cIdentifierErrMsg =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";
const cIdentifierRegexp = anchored(cIdentifierFmt);

/** A C identifier (checks format, not length). */
export function isCIdentifier(value: string): string[] {
  if (!cIdentifierRegexp.test(value)) {
    return [regexError(cIdentifierErrMsg, cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')];
  }
  return [];
}

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameFmtErrMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
const envVarNameRegexp = anchored(envVarNameFmt);

/** An environment variable name under the classic (strict) rule. */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarNameRegexp.test(value)) {
    errs.push(regexError(envVarNameFmtErrMsg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

/** An environment variable name under RelaxedEnvironmentVariableValidation: printable ASCII except '='. */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push(`environment variable name ${emptyError()}`);
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c > 0x7e || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const configMapKeyRegexp = anchored(configMapKeyFmt);

/** A key of a ConfigMap's or Secret's data. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!configMapKeyRegexp.test(value)) {
    errs.push(regexError(configMapKeyErrMsg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

const httpHeaderNameFmt = '[-A-Za-z0-9]+';
const httpHeaderNameErrMsg = "a valid HTTP header must consist of alphanumeric characters or '-'";
const httpHeaderNameRegexp = anchored(httpHeaderNameFmt);

export function isHTTPHeaderName(value: string): string[] {
  if (!httpHeaderNameRegexp.test(value)) {
    return [regexError(httpHeaderNameErrMsg, httpHeaderNameFmt, 'X-Header-Name')];
  }
  return [];
}

const percentFmt = '[0-9]+%';
const percentErrMsg = "a valid percent string must be a numeric string followed by an ending '%'";
const percentRegexp = anchored(percentFmt);

export function isValidPercent(percent: string): string[] {
  if (!percentRegexp.test(percent)) return [regexError(percentErrMsg, percentFmt, '1%', '93%')];
  return [];
}

// ---- numbers ----

export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

export function isInRange(value: number, min: number, max: number): string[] {
  return value >= min && value <= max ? [] : [inclusiveRangeError(min, max)];
}

const maxID = 2147483647;

export function isValidUserID(uid: number): string[] {
  return uid >= 0 && uid <= maxID ? [] : [inclusiveRangeError(0, maxID)];
}

export function isValidGroupID(gid: number): string[] {
  return gid >= 0 && gid <= maxID ? [] : [inclusiveRangeError(0, maxID)];
}

const portNameCharsetRegexp = /^[-a-z0-9]+$/;
const portNameOneLetterRegexp = /[a-z]/;

/** An IANA_SVC_NAME: at most 15 of [-a-z0-9], at least one letter, no leading, trailing or double hyphens. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!portNameCharsetRegexp.test(port)) {
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!portNameOneLetterRegexp.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) {
    errs.push('must not begin or end with a hyphen');
  }
  return errs;
}

// ---- path segments (api/validation/path/name.go) ----

/** A name that is safe as one URL path segment (the rule for names of most custom resources). */
export function isPathSegmentName(name: string): string[] {
  for (const illegal of ['.', '..']) {
    if (name === illegal) return [`may not be '${illegal}'`];
  }
  return isPathSegmentPrefix(name);
}

/** A prefix of such a name (for generateName): only the characters are checked. */
export function isPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const illegal of ['/', '%']) {
    if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  }
  return errs;
}

// ---- IP addresses and CIDRs (util/validation/ip.go) ----
// Go's "sloppy" parser (k8s.io/utils/net, the pre-1.17 net.ParseIP) tolerates leading zeros;
// net/netip, used for strict validation, does not. Addresses are 16-byte arrays; IPv4 is held
// in IPv4-mapped form, as Go's net.IP does.

interface ParsedIP {
  bytes: Uint8Array; // 16 bytes
  v4: boolean; // parsed from dotted-quad syntax
  strict: boolean; // also accepted by netip (no leading zeros, at most 4 hex digits per group)
}

const bigLimit = 0xffffff;

/** Leading decimal digits of s: [value, length, ok], as Go's dtoi. */
function dtoi(s: string): [number, number, boolean] {
  let n = 0;
  let i = 0;
  for (; i < s.length && s[i] >= '0' && s[i] <= '9'; i++) {
    n = n * 10 + (s.charCodeAt(i) - 48);
    if (n >= bigLimit) return [bigLimit, i, false];
  }
  if (i === 0) return [0, 0, false];
  return [n, i, true];
}

/** Leading hex digits of s: [value, length, ok], as Go's xtoi. */
function xtoi(s: string): [number, number, boolean] {
  let n = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const d = parseInt(s[i], 16);
    if (Number.isNaN(d)) break;
    n = n * 16 + d;
    if (n >= bigLimit) return [0, i, false];
  }
  if (i === 0) return [0, i, false];
  return [n, i, true];
}

function parseIPv4(s: string): { bytes: number[]; strict: boolean } | null {
  const out: number[] = [];
  let strict = true;
  for (let i = 0; i < 4; i++) {
    if (s.length === 0) return null;
    if (i > 0) {
      if (s[0] !== '.') return null;
      s = s.slice(1);
    }
    const [n, c, ok] = dtoi(s);
    if (!ok || n > 0xff) return null;
    if (c > 1 && s[0] === '0') strict = false;
    out.push(n);
    s = s.slice(c);
  }
  if (s.length !== 0) return null;
  return { bytes: out, strict };
}

function v4Mapped(b: number[]): Uint8Array {
  const ip = new Uint8Array(16);
  ip[10] = 0xff;
  ip[11] = 0xff;
  ip.set(b, 12);
  return ip;
}

function parseIPv6(s: string): { bytes: Uint8Array; strict: boolean } | null {
  const ip = new Uint8Array(16);
  let strict = true;
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { bytes: ip, strict };
  }
  let i = 0;
  while (i < 16) {
    const [n, c, ok] = xtoi(s);
    if (!ok || n > 0xffff) return null;
    if (c < s.length && s[c] === '.') {
      if (ellipsis < 0 && i !== 12) return null;
      if (i + 4 > 16) return null;
      const v4 = parseIPv4(s);
      if (v4 === null) return null;
      if (!v4.strict) strict = false;
      ip.set(v4.bytes, i);
      s = '';
      i += 4;
      break;
    }
    if (c > 4) strict = false;
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    s = s.slice(c);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return null;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return null;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return null;
  if (i < 16) {
    if (ellipsis < 0) return null;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return null;
  }
  return { bytes: ip, strict };
}

function parseIP(s: string): ParsedIP | null {
  for (const ch of s) {
    if (ch === '.') {
      const v4 = parseIPv4(s);
      return v4 && { bytes: v4Mapped(v4.bytes), v4: true, strict: v4.strict };
    }
    if (ch === ':') {
      const v6 = parseIPv6(s);
      return v6 && { bytes: v6.bytes, v4: false, strict: v6.strict };
    }
  }
  return null;
}

function isV4MappedBytes(ip: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

/** Go's net.IP.String for a 16-byte address: dotted quad for IPv4(-mapped), RFC 5952 otherwise. */
function formatIP(ip: Uint8Array): string {
  if (isV4MappedBytes(ip)) return `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip[i] << 8) | ip[i + 1]);
  let zeroStart = -1;
  let zeroLen = 0;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i >= 2 && j - i > zeroLen) {
      zeroStart = i;
      zeroLen = j - i;
    }
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === zeroStart) {
      out += '::';
      i += zeroLen - 1;
      continue;
    }
    if (i > 0 && i !== zeroStart + zeroLen) out += ':';
    out += groups[i].toString(16);
  }
  return out;
}

function ipErrors(path: FieldPath | string, value: string, strictValidation: boolean): { ip: ParsedIP | null; errs: FieldError[] } {
  const ip = parseIP(value);
  if (ip === null) {
    return { ip, errs: [fieldInvalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')] };
  }
  const errs: FieldError[] = [];
  if (strictValidation) {
    if (!ip.strict) errs.push(fieldInvalid(path, value, 'must not have leading 0s'));
    else if (!ip.v4 && isV4MappedBytes(ip.bytes)) errs.push(fieldInvalid(path, value, 'must not be an IPv4-mapped IPv6 address'));
  }
  return { ip, errs };
}

/** An IP address under current rules: strict syntax and canonical form. */
export function isValidIP(path: FieldPath | string, value: string): FieldError[] {
  const { ip, errs } = ipErrors(path, value, true);
  if (ip === null || errs.length > 0) return errs;
  const canonical = formatIP(ip.bytes);
  if (value !== canonical) return [fieldInvalid(path, value, `must be in canonical form (${goQuote(canonical)})`)];
  return [];
}

/** An IP address in a field that predates strict validation; values from the old object are let through. */
export function isValidIPForLegacyField(
  path: FieldPath | string,
  value: string,
  strictValidation = true,
  validOldIPs: readonly string[] = [],
): FieldError[] {
  if (validOldIPs.includes(value)) return [];
  return ipErrors(path, value, strictValidation).errs;
}

interface ParsedCIDR {
  ip: ParsedIP;
  bits: number;
  strict: boolean;
}

function parseCIDR(s: string): ParsedCIDR | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  let ip: ParsedIP | null = null;
  let iplen = 4;
  const v4 = parseIPv4(addr);
  if (v4 !== null) {
    ip = { bytes: v4Mapped(v4.bytes), v4: true, strict: v4.strict };
  } else {
    iplen = 16;
    const v6 = parseIPv6(addr);
    if (v6 !== null) ip = { bytes: v6.bytes, v4: false, strict: v6.strict };
  }
  const [n, i, ok] = dtoi(mask);
  if (ip === null || !ok || i !== mask.length || n > 8 * iplen) return null;
  return { ip, bits: n, strict: ip.strict && !(mask.length > 1 && mask[0] === '0') };
}

function maskedBytes(c: ParsedCIDR): Uint8Array {
  const out = new Uint8Array(c.ip.bytes);
  const total = c.ip.v4 ? 32 : 128;
  const offset = c.ip.v4 ? 12 : 0;
  for (let bit = c.bits; bit < total; bit++) {
    const byte = offset + (bit >> 3);
    out[byte] &= ~(0x80 >> (bit & 7)) & 0xff;
  }
  return out;
}

function cidrErrors(path: FieldPath | string, value: string, strictValidation: boolean): { cidr: ParsedCIDR | null; errs: FieldError[] } {
  const cidr = parseCIDR(value);
  if (cidr === null) {
    return { cidr, errs: [fieldInvalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')] };
  }
  const errs: FieldError[] = [];
  if (strictValidation) {
    if (!cidr.strict) errs.push(fieldInvalid(path, value, 'must not have leading 0s in IP or prefix length'));
    else if (!cidr.ip.v4 && isV4MappedBytes(cidr.ip.bytes)) {
      errs.push(fieldInvalid(path, value, 'must not have an IPv4-mapped IPv6 address'));
    } else if (!maskedBytes(cidr).every((b, i) => b === cidr.ip.bytes[i])) {
      errs.push(fieldInvalid(path, value, 'must not have bits set beyond the prefix length'));
    }
  }
  return { cidr, errs };
}

/** A subnet CIDR under current rules: strict syntax, no host bits, canonical form. */
export function isValidCIDR(path: FieldPath | string, value: string): FieldError[] {
  const { cidr, errs } = cidrErrors(path, value, true);
  if (cidr === null || errs.length > 0) return errs;
  const canonical = `${formatIP(maskedBytes(cidr))}/${cidr.bits}`;
  if (value !== canonical) return [fieldInvalid(path, value, `must be in canonical form (${goQuote(canonical)})`)];
  return [];
}

/** A CIDR in a field that predates strict validation; values from the old object are let through. */
export function isValidCIDRForLegacyField(
  path: FieldPath | string,
  value: string,
  strictValidation = true,
  validOldCIDRs: readonly string[] = [],
): FieldError[] {
  if (validOldCIDRs.includes(value)) return [];
  return cidrErrors(path, value, strictValidation).errs;
}
