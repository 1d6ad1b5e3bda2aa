// Turns API objects into stored values and back, encrypting kinds marked secret with AES-256-GCM.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { KeyValue } from '../../storage/backend.ts';
import type { KObject } from './kobject.ts';

const encPrefix = 'k8s:enc:aesgcm:v1:key1:';

/** AES-256-GCM envelope for values at rest, keyed by a file in the data directory. */
export class AesGcmTransformer {
  readonly #key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('encryption key must be 32 bytes');
    this.#key = key;
  }

  static async fromFile(path: string): Promise<AesGcmTransformer> {
    let key: Buffer;
    try {
      key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
    } catch {
      key = randomBytes(32);
      await writeFile(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' }).catch(async () => {
        key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
      });
    }
    return new AesGcmTransformer(key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return encPrefix + Buffer.concat([iv, body, c.getAuthTag()]).toString('base64');
  }

  open(value: string): string {
    if (!value.startsWith(encPrefix)) return value;
    const raw = Buffer.from(value.slice(encPrefix.length), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
  }
}

export class Codec {
  readonly #transformer: AesGcmTransformer | undefined;
  constructor(transformer?: AesGcmTransformer) {
    this.#transformer = transformer;
  }

  encode(obj: KObject, encrypted: boolean): string {
    const { resourceVersion: _rv, ...meta } = obj.metadata;
    const json = JSON.stringify({ ...obj, metadata: meta });
    return encrypted && this.#transformer ? this.#transformer.seal(json) : json;
  }

  decode(kv: KeyValue): KObject {
    const text = this.#transformer && kv.value.startsWith(encPrefix) ? this.#transformer.open(kv.value) : kv.value;
    const obj = JSON.parse(text) as KObject;
    obj.metadata.resourceVersion = String(kv.modRevision);
    return obj;
  }
}
