// The string formats a CRD schema may name (`date-time`, `uuid`, `ipv4`…) and their checks, as kube-openapi's strfmt registry.
import { isIP } from 'node:net';

/** Format names are compared without dashes (`date-time` is `datetime`), as go-openapi normalises them. */
export const normalizeFormat = (name: string) => name.replaceAll('-', '');

const uuidRx = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3Rx = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4Rx = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5Rx = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const hostnameRx =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const base64Rx = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const hexColorRx = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const octet = '(0|[1-9]\\d?|1\\d\\d?|2[0-4]\\d|25[0-5])';
const rgbColorRx = new RegExp(`^rgb\\(\\s*${octet}\\s*,\\s*${octet}\\s*,\\s*${octet}\\s*\\)$`);
const ssnRx = /^\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const creditCardRx =
  /^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|(222[1-9]|22[3-9][0-9]|2[3-6][0-9]{2}|27[01][0-9]|2720)[0-9]{12}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\d{3})\d{11}|6[27][0-9]{14})$/;
const dateTimeRx = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;
const macRx = [
  /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/,
  /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){6}$/,
  /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){18}$/,
  /^[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}\.[0-9a-fA-F]{4}$/,
  /^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4}){3}$/,
  /^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4}){9}$/,
];

/** Go's time.Parse("2006-01-02", s). */
export function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

function isDateTime(s: string): boolean {
  if (s.length < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isDate(parts[0])) return false;
  const m = dateTimeRx.exec(parts[1]);
  if (!m) return false;
  return m[1] <= '23' && m[2] <= '59' && m[3] <= '59';
}

/** Go's time.ParseDuration grammar: `[-+]?` then one or more `<decimal><unit>`, or a bare `0`. */
function isGoDuration(s: string): boolean {
  const body = s.replace(/^[-+]/, '');
  if (body === '0') return true;
  if (body === '') return false;
  const re = /(\d*)(\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;
  let at = 0;
  while (at < body.length) {
    re.lastIndex = at;
    const m = re.exec(body);
    if (!m || (m[1] === '' && (m[3] ?? '') === '')) return false;
    at = re.lastIndex;
  }
  return true;
}

const timeUnits = [['ns', 'nano'], ['us', 'µs', 'micro'], ['ms', 'milli'], ['s', 'sec'], ['m', 'min'], ['h', 'hr', 'hour'], ['d', 'day'], ['w', 'wk', 'week']];

/** Go's time.ParseDuration, then go-openapi's looser `3 days` form. */
function isDuration(s: string): boolean {
  if (isGoDuration(s)) return true;
  for (const m of s.matchAll(/((\d+)\s*([A-Za-zµ]+))/g)) {
    const unit = m[3].trim().toLowerCase();
    for (const variants of timeUnits) {
      const last = variants.length - 1;
      if (variants.some((v, i) => (i === last && unit.startsWith(v)) || v === unit)) return true;
    }
  }
  return false;
}

/** Go's net.ParseIP with leading zeros allowed in IPv4 octets (netutils.ParseIPSloppy). */
function parseIPSloppy(s: string): boolean {
  if (isIP(s) !== 0) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255);
  return false;
}

function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || !parseIPSloppy(ip)) return false;
  return Number(bits) <= (ip.includes(':') ? 128 : 32);
}

function isRequestURI(s: string): boolean {
  if (s.startsWith('/')) return !/\s/.test(s);
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(s);
  if (!m) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return !/\s/.test(m[2]);
  }
}

function isEmail(s: string): boolean {
  const addr = /<([^<>]+)>\s*$/.exec(s)?.[1] ?? s.trim();
  return /^[^@\s<>()[\]\\,;:"]+@[^@\s<>()[\]\\,;:"]+$/.test(addr);
}

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function isISBN10(s: string): boolean {
  const v = s.replace(/[\s-]/g, '');
  if (!/^(?:[0-9]{9}X|[0-9]{10})$/.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(v[i]);
  sum += v[9] === 'X' ? 100 : 10 * Number(v[9]);
  return sum % 11 === 0;
}

function isISBN13(s: string): boolean {
  const v = s.replace(/[\s-]/g, '');
  if (!/^[0-9]{13}$/.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(v[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(v[12]);
}

const checks: Record<string, (s: string) => boolean> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: isRequestURI,
  email: isEmail,
  hostname: (s) => hostnameRx.test(s) && s.length <= 255 && s.split('.').every((p) => p.length <= 63),
  ipv4: (s) => parseIPSloppy(s) && s.includes('.'),
  ipv6: (s) => parseIPSloppy(s) && s.includes(':'),
  cidr: isCIDR,
  mac: (s) => macRx.some((r) => r.test(s)),
  uuid: (s) => uuidRx.test(s),
  uuid3: (s) => uuid3Rx.test(s),
  uuid4: (s) => uuid4Rx.test(s),
  uuid5: (s) => uuid5Rx.test(s),
  isbn: (s) => isISBN10(s) || isISBN13(s),
  isbn10: isISBN10,
  isbn13: isISBN13,
  creditcard: (s) => {
    const digits = s.replace(/[^0-9]+/g, '');
    return creditCardRx.test(digits) && luhn(digits);
  },
  ssn: (s) => s !== '' && ssnRx.test(s),
  hexcolor: (s) => hexColorRx.test(s),
  rgbcolor: (s) => rgbColorRx.test(s),
  byte: (s) => base64Rx.test(s),
  password: () => true,
  date: isDate,
  duration: isDuration,
  datetime: isDateTime,
};

/** Whether the format is one Kubernetes 1.33 validates (others are dropped from the schema, as upstream strips them). */
export function isSupportedFormat(format: string | undefined): boolean {
  return !!format && Object.hasOwn(checks, normalizeFormat(format));
}

/** Whether `value` is valid for the (supported) format. */
export function matchesFormat(format: string, value: string): boolean {
  const check = checks[normalizeFormat(format)];
  return check ? check(value) : true;
}
