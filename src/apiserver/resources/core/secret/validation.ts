// Upstream validation for core/v1 Secrets: keys, total size, the rules of each well-known type, immutability.
import {
  type FieldError,
  FieldPath,
  fieldForbidden,
  fieldInvalid,
  fieldRequired,
  fieldTooLong,
} from '../../../../machinery/field-errors.ts';
import { isConfigMapKey } from '../../../../machinery/validation.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { sameStoredMap } from '../configmap/validation.ts';

/** core.MaxSecretSize: 1 MiB of decoded data. */
export const maxSecretSize = 1024 * 1024;

const immutableMsg = 'field is immutable when `immutable` is set';
const redacted = '<secret contents redacted>';

const entries = (v: unknown): [string, unknown][] =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>) : [];

const decode = (v: unknown): Buffer => (typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.alloc(0));

/** ValidateSecret, without the object metadata the generic store checks. */
export function validateCreate(secret: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const dataPath = FieldPath.root('data');
  const data = new Map(entries(secret.data));
  let total = 0;
  for (const [key, value] of data) {
    for (const msg of isConfigMapKey(key)) errs.push(fieldInvalid(dataPath.key(key), key, msg));
    total += decode(value).length;
  }
  if (total > maxSecretSize) errs.push(fieldTooLong(dataPath, '', maxSecretSize));

  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      // Only the account name is required; the token controller adds the uid and the token later.
      if (!secret.metadata.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(fieldRequired(FieldPath.root('metadata').child('annotations').key('kubernetes.io/service-account.name')));
      }
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = secret.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!data.has(key)) {
        errs.push(fieldRequired(dataPath.key(key)));
        break;
      }
      const problem = goJSONObjectError(decode(data.get(key)));
      if (problem) errs.push(fieldInvalid(dataPath.key(key), redacted, problem));
      break;
    }
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one of them must be present.
      if (!data.has('username') && !data.has('password')) {
        errs.push(fieldRequired(dataPath.key('username')), fieldRequired(dataPath.key('password')));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (decode(data.get('ssh-privatekey')).length === 0) errs.push(fieldRequired(dataPath.key('ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!data.has('tls.crt')) errs.push(fieldRequired(dataPath.key('tls.crt')));
      if (!data.has('tls.key')) errs.push(fieldRequired(dataPath.key('tls.key')));
      break;
  }
  return errs;
}

/** ValidateSecretUpdate: the type never changes; with `immutable` set, neither it nor data may. */
export function validateUpdate(secret: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if ((secret.type ?? '') !== (old.type ?? '')) errs.push(fieldInvalid('type', secret.type ?? '', 'field is immutable'));
  if (old.immutable === true) {
    if (secret.immutable !== true) errs.push(fieldForbidden('immutable', immutableMsg));
    // stringData was already folded into data, so only data is compared.
    if (!sameStoredMap(secret.data, old.data)) errs.push(fieldForbidden('data', immutableMsg));
  }
  errs.push(...validateCreate(secret));
  return errs;
}

class GoJSONError extends Error {}

/** Renders one input byte the way encoding/json's quoteChar does. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

/**
 * What json.Unmarshal into map[string]interface{} reports for `input`, or '' when it decodes:
 * the scanner's syntax errors first, then the type error for a top-level value that is not an object.
 */
export function goJSONObjectError(input: Uint8Array): string {
  let i = 0;
  const n = input.length;
  const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  const fail = (context: string): never => {
    if (i >= n) throw new GoJSONError('unexpected end of JSON input');
    throw new GoJSONError(`invalid character ${quoteChar(input[i])} ${context}`);
  };
  const skip = () => {
    while (i < n && isSpace(input[i])) i++;
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (i >= n || input[i] !== word.charCodeAt(k)) fail(`in literal ${word} (expecting '${word[k]}')`);
    }
    i++;
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= n) fail('');
      const c = input[i];
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail('in string literal');
      if (c === 0x5c) {
        i++;
        if (i >= n) fail('');
        const e = input[i];
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) fail('');
            const h = input[i];
            if (!(isDigit(h) || (h >= 0x61 && h <= 0x66) || (h >= 0x41 && h <= 0x46))) fail('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) fail('in string escape code');
      }
      i++;
    }
  };
  const number = () => {
    if (input[i] === 0x2d) {
      i++;
      if (i >= n || !isDigit(input[i])) fail('in numeric literal');
    }
    if (input[i] === 0x30) i++;
    else while (i < n && isDigit(input[i])) i++;
    if (i < n && input[i] === 0x2e) {
      i++;
      if (i >= n || !isDigit(input[i])) fail('after decimal point in numeric literal');
      while (i < n && isDigit(input[i])) i++;
    }
    if (i < n && (input[i] === 0x65 || input[i] === 0x45)) {
      i++;
      if (i < n && (input[i] === 0x2b || input[i] === 0x2d)) i++;
      if (i >= n || !isDigit(input[i])) fail('in exponent of numeric literal');
      while (i < n && isDigit(input[i])) i++;
    }
  };
  const value = (): void => {
    skip();
    if (i >= n) fail('');
    const c = input[i];
    if (c === 0x7b) {
      i++;
      skip();
      if (i < n && input[i] === 0x7d) {
        i++;
        return;
      }
      for (;;) {
        skip();
        if (i >= n || input[i] !== 0x22) fail('looking for beginning of object key string');
        string();
        skip();
        if (i >= n || input[i] !== 0x3a) fail('after object key');
        i++;
        value();
        skip();
        if (i < n && input[i] === 0x2c) {
          i++;
          continue;
        }
        if (i < n && input[i] === 0x7d) {
          i++;
          return;
        }
        fail('after object key:value pair');
      }
    }
    if (c === 0x5b) {
      i++;
      skip();
      if (i < n && input[i] === 0x5d) {
        i++;
        return;
      }
      for (;;) {
        value();
        skip();
        if (i < n && input[i] === 0x2c) {
          i++;
          continue;
        }
        if (i < n && input[i] === 0x5d) {
          i++;
          return;
        }
        fail('after array element');
      }
    }
    if (c === 0x22) return string();
    if (c === 0x2d || isDigit(c)) return number();
    if (c === 0x74) return literal('true');
    if (c === 0x66) return literal('false');
    if (c === 0x6e) return literal('null');
    fail('looking for beginning of value');
  };
  try {
    value();
    skip();
    if (i < n) fail('after top-level value');
  } catch (e) {
    if (e instanceof GoJSONError) return e.message;
    throw e;
  }
  let first = 0;
  while (isSpace(input[first])) first++;
  const kinds: Record<string, string> = { '[': 'array', '"': 'string', t: 'bool', f: 'bool' };
  const top = String.fromCharCode(input[first]);
  if (top === '{' || top === 'n') return '';
  return `json: cannot unmarshal ${kinds[top] ?? 'number'} into Go value of type map[string]interface {}`;
}
