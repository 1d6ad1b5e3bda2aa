// Decodes `application/vnd.kubernetes.protobuf` bodies: the `k8s\0` prefix, the runtime.Unknown envelope, then the object.
import { StatusError } from '../../machinery/status-error.ts';
import type { ProtobufDecoder } from '../http/protobuf-decoder.ts';
import { loadDescriptors, type ProtobufDescriptors } from './descriptors.ts';
import { MessageDecoder, parseRawJson } from './message-decoder.ts';
import { WireFormatError, WireReader, WireType } from './wire-reader.ts';

/** The four bytes every Kubernetes protobuf object starts with (serializer/protobuf `protoEncodingPrefix`). */
export const protobufPrefix = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** Reads runtime.Unknown {typeMeta{apiVersion=1, kind=2}=1, raw=2, contentEncoding=3, contentType=4}. */
export function readEnvelope(body: Uint8Array): Envelope {
  if (body.length === 0) throw new EnvelopeError('empty data');
  if (body.length < protobufPrefix.length || !protobufPrefix.equals(body.subarray(0, protobufPrefix.length))) {
    throw new EnvelopeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  if (body.length === protobufPrefix.length) throw new EnvelopeError('empty body');
  const env: Envelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const utf8 = new TextDecoder();
  const r = new WireReader(body, protobufPrefix.length);
  while (!r.done) {
    const { number, wireType } = r.tag();
    if (number < 1 || number > 4) {
      r.skip(wireType);
      continue;
    }
    if (wireType !== WireType.bytes) throw new WireFormatError(`proto: wrong wireType = ${wireType} for field ${['TypeMeta', 'Raw', 'ContentEncoding', 'ContentType'][number - 1]}`);
    const bytes = r.bytes();
    if (number === 1) {
      const t = new WireReader(bytes);
      while (!t.done) {
        const tag = t.tag();
        if ((tag.number === 1 || tag.number === 2) && tag.wireType === WireType.bytes) {
          const s = utf8.decode(t.bytes());
          if (tag.number === 1) env.apiVersion = s;
          else env.kind = s;
        } else t.skip(tag.wireType);
      }
    } else if (number === 2) env.raw = bytes;
    else if (number === 3) env.contentEncoding = utf8.decode(bytes);
    else env.contentType = utf8.decode(bytes);
  }
  return env;
}

/** The envelope itself is unreadable: upstream's serializer reports these before it knows the kind. */
export class EnvelopeError extends Error {
  readonly code = 'DABBA_ERR_PROTOBUF_ENVELOPE';
}

export class KubernetesProtobufDecoder implements ProtobufDecoder {
  readonly #load: () => ProtobufDescriptors;
  #state: { kinds: Record<string, string>; messages: MessageDecoder } | undefined;

  /** Descriptors are loaded on the first protobuf body, so servers that never see one do not pay for them. */
  constructor(load: () => ProtobufDescriptors = loadDescriptors) {
    this.#load = load;
  }

  #ready(): { kinds: Record<string, string>; messages: MessageDecoder } {
    if (!this.#state) {
      const d = this.#load();
      const messages = new MessageDecoder(d);
      messages.setRawDecoder((raw) => (protobufPrefix.equals(raw.subarray(0, 4)) ? (this.#object(raw) as never) : parseRawJson(raw)));
      this.#state = { kinds: d.kinds, messages };
    }
    return this.#state;
  }

  decode(body: Buffer): unknown {
    try {
      return this.#object(body);
    } catch (e) {
      if (e instanceof StatusError) throw e;
      if (e instanceof EnvelopeError || e instanceof WireFormatError) throw StatusError.badRequest(e.message);
      throw e;
    }
  }

  #object(body: Uint8Array): Record<string, unknown> {
    const { kinds, messages } = this.#ready();
    const env = readEnvelope(body);
    if (!env.kind) throw StatusError.badRequest(`Object 'Kind' is missing in '${goTypeMeta(env)}'`);
    if (!env.apiVersion) throw StatusError.badRequest(`Object 'apiVersion' is missing in '${goTypeMeta(env)}'`);
    const version = env.apiVersion.slice(env.apiVersion.indexOf('/') + 1);
    const message = kinds[`${env.apiVersion}/${env.kind}`];
    if (message === undefined) {
      throw StatusError.badRequest(`no kind "${env.kind}" is registered for version "${env.apiVersion}" in scheme "pkg/api/legacyscheme/scheme.go:30"`);
    }
    try {
      const obj = messages.decode(message, env.raw) as Record<string, unknown>;
      return { apiVersion: env.apiVersion, kind: env.kind, ...obj };
    } catch (e) {
      // The message apiserver's transformDecodeError gives a body it cannot decode into the named kind.
      if (e instanceof WireFormatError) {
        throw StatusError.badRequest(`${env.kind} in version "${version}" cannot be handled as a ${env.kind}: ${e.message}`);
      }
      throw e;
    }
  }
}

/** `%#v` of runtime.TypeMeta, as upstream's missing-kind error prints it. */
function goTypeMeta(env: Envelope): string {
  return `runtime.TypeMeta{APIVersion:${JSON.stringify(env.apiVersion)}, Kind:${JSON.stringify(env.kind)}}`;
}
