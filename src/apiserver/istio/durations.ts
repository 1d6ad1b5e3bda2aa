// Duration fields of the Istio networking kinds: decoding them as istiod does, and istiod's duration rules.
import { DurationSyntaxError, nanosPerMilli, parseGoDuration } from '../../machinery/go-duration.ts';

/** A tree of the fields that are google.protobuf.Duration; `[]` steps into list items. */
interface DurationTree {
  [field: string]: DurationTree | true;
}

const trafficPolicyFields: DurationTree = {
  connectionPool: {
    tcp: { connectTimeout: true, tcpKeepalive: { time: true, interval: true }, maxConnectionDuration: true, idleTimeout: true },
    http: { idleTimeout: true, http2KeepAlive: { interval: true, timeout: true } },
  },
  loadBalancer: { consistentHash: { httpCookie: { ttl: true } }, warmupDurationSecs: true, warmup: { duration: true } },
  outlierDetection: { interval: true, baseEjectionTime: true },
};

const trafficPolicy: DurationTree = { ...trafficPolicyFields, portLevelSettings: { '[]': trafficPolicyFields } };

/** Per kind, in the order istiod's decoder meets them (proto field order). */
const durationFields: Record<string, DurationTree> = {
  VirtualService: {
    http: {
      '[]': {
        timeout: true,
        retries: { perTryTimeout: true, backoff: true },
        fault: { delay: { fixedDelay: true, exponentialDelay: true } },
        corsPolicy: { maxAge: true },
      },
    },
  },
  DestinationRule: { trafficPolicy, subsets: { '[]': { trafficPolicy } } },
};

function firstBad(value: unknown, tree: DurationTree): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    const items = tree['[]'];
    if (items === undefined || items === true) return undefined;
    for (const v of value) {
      const bad = firstBad(v, items);
      if (bad) return bad;
    }
    return undefined;
  }
  for (const [field, sub] of Object.entries(tree)) {
    if (field === '[]') continue;
    const v = (value as Record<string, unknown>)[field];
    if (v === undefined || v === null) continue;
    if (sub === true) {
      if (typeof v !== 'string') return `json: cannot unmarshal ${typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : 'object'} into Go value of type string`;
      try {
        parseGoDuration(v);
      } catch (e) {
        if (e instanceof DurationSyntaxError) return `bad Duration: ${e.message}`;
        throw e;
      }
    } else {
      const bad = firstBad(v, sub);
      if (bad) return bad;
    }
  }
  return undefined;
}

/** The error istiod's proto decoder reports for the spec's first malformed duration, if any. */
export function durationDecodingError(kind: string, spec: unknown): string | undefined {
  const tree = durationFields[kind];
  return tree ? firstBad(spec, tree) : undefined;
}

/** Nanoseconds of a duration the decoder accepted. */
export const nanos = (d: string): bigint => parseGoDuration(d);

/** istiod's ValidateDuration: at least 1ms, whole milliseconds. */
export function validateDuration(d: string): string | undefined {
  const n = nanos(d);
  if (n < nanosPerMilli) return 'duration must be greater than 1ms';
  if (n % nanosPerMilli !== 0n) return 'only durations to ms precision are supported';
  return undefined;
}
