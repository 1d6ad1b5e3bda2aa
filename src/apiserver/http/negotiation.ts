// Content negotiation: which representation a client asked for (JSON, YAML, Table, metadata-only) and body decoding.
import { parseYaml } from './yaml-codec.ts';
import type { ProtobufDecoder } from './protobuf-decoder.ts';
import { StatusError } from '../../machinery/status-error.ts';

export type Representation =
  | { kind: 'object'; yaml: boolean }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; list: boolean; version: 'v1' | 'v1beta1' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [{ type: '*/*', params: {} }];
  return accept.split(',').map((part) => {
    const [type, ...ps] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of ps) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim()] = p.slice(i + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

/** Picks the first acceptable representation in the client's order, as upstream's negotiation does. */
export function negotiate(accept: string | undefined, allowTable: boolean): Representation {
  const ranges = parseAccept(accept);
  for (const r of ranges) {
    const as = r.params.as;
    if (as) {
      if (r.type !== 'application/json' && r.type !== 'application/yaml') continue;
      if (r.params.g !== 'meta.k8s.io' || (r.params.v !== 'v1' && r.params.v !== 'v1beta1')) continue;
      const version = r.params.v as 'v1' | 'v1beta1';
      if (as === 'Table' && allowTable) return { kind: 'table', version };
      if (as === 'PartialObjectMetadata') return { kind: 'partial', list: false, version };
      if (as === 'PartialObjectMetadataList') return { kind: 'partial', list: true, version };
      continue;
    }
    if (r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*') return { kind: 'object', yaml: false };
    if (r.type === 'application/yaml') return { kind: 'object', yaml: true };
    if (r.type === 'application/vnd.kubernetes.protobuf') continue;
  }
  if (ranges.some((r) => r.type === 'application/vnd.kubernetes.protobuf')) return { kind: 'object', yaml: false };
  throw StatusError.notAcceptable(
    'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  );
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType {
  const t = (contentType ?? '').split(';')[0].trim().toLowerCase();
  switch (t) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        { kind: t },
      );
  }
}

/** Decodes a create/update body: JSON, YAML, or Kubernetes protobuf when a decoder is given. */
export async function decodeBody(contentType: string | undefined, body: Buffer, protobuf?: ProtobufDecoder): Promise<unknown> {
  const t = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (t === 'application/json' || t === '' || t === '*/*') return parseJson(body);
  if (t === 'application/vnd.kubernetes.protobuf' && protobuf) return await protobuf.decode(body);
  if (t === 'application/yaml') {
    try {
      return parseYaml(body.toString('utf8'));
    } catch (e) {
      throw StatusError.badRequest(`yaml: ${(e as Error).message}`);
    }
  }
  throw new StatusError(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    { kind: t },
  );
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw StatusError.badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}
