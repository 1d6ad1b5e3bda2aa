// Typed API errors that render as Kubernetes Status objects with the reasons and messages of apimachinery v0.33's
// api/errors (Kubernetes 1.33).
import { type FieldError, goQuote } from './field-errors.ts';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A group and resource, printed as `deployments.apps` (or `pods` for the core group). */
export interface GroupResource {
  group: string;
  resource: string;
}

export interface GroupKind {
  group: string;
  kind: string;
}

export const grString = (gr: GroupResource): string => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);
export const gkString = (gk: GroupKind): string => (gk.group ? `${gk.kind}.${gk.group}` : gk.kind);

/**
 * StatusDetails as Go serializes them: every field is omitempty, so empty strings, a zero
 * retryAfterSeconds and an empty causes list are left out.
 */
function details(d: {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.causes && d.causes.length > 0) out.causes = d.causes;
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

/** A StatusCause with Go's omitempty fields (reason is the CauseType). */
function cause(reason: string, message: string, field: string): StatusCause {
  const c: StatusCause = {};
  if (reason) c.reason = reason;
  if (message) c.message = message;
  if (field) c.field = field;
  return c;
}

/** Joins messages like apimachinery's aggregate error: one as is, several as `[a, b]`. */
export function aggregate(messages: string[]): string {
  const uniq = [...new Set(messages)];
  return uniq.length === 1 ? uniq[0] : `[${uniq.join(', ')}]`;
}

export class StatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string, message: string, details?: StatusDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    if (!this.reason) delete s.reason;
    return s;
  }

  /** NewNotFound: `pods "x" not found`. */
  static notFound(gr: GroupResource, name: string): StatusError {
    return new StatusError(
      404,
      'NotFound',
      `${grString(gr)} ${goQuote(name)} not found`,
      details({ name, group: gr.group, kind: gr.resource }),
    );
  }

  /** NewAlreadyExists: `pods "x" already exists`. */
  static alreadyExists(gr: GroupResource, name: string): StatusError {
    return new StatusError(
      409,
      'AlreadyExists',
      `${grString(gr)} ${goQuote(name)} already exists`,
      details({ name, group: gr.group, kind: gr.resource }),
    );
  }

  /** NewGenerateNameConflict: the server could not find a free name for a generateName. */
  static generateNameConflict(gr: GroupResource, name: string, retryAfterSeconds: number): StatusError {
    return new StatusError(
      409,
      'AlreadyExists',
      `${grString(gr)} ${goQuote(name)} already exists, the server was not able to generate a unique name for the object`,
      details({ name, group: gr.group, kind: gr.resource, retryAfterSeconds }),
    );
  }

  /** NewConflict: `Operation cannot be fulfilled on pods "x": <why>`. */
  static conflict(gr: GroupResource, name: string, why: string): StatusError {
    return new StatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${grString(gr)} ${goQuote(name)}: ${why}`,
      details({ name, group: gr.group, kind: gr.resource }),
    );
  }

  /** The storage layer's resourceVersion precondition failure (registry.OptimisticLockErrorMsg). */
  static optimisticLock(gr: GroupResource, name: string): StatusError {
    return StatusError.conflict(
      gr,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  }

  /** NewApplyConflict: server-side apply field conflicts, one cause per conflicting field. */
  static applyConflict(causes: StatusCause[], message: string): StatusError {
    return new StatusError(409, 'Conflict', message, { causes });
  }

  /** NewInvalid: `Pod "x" is invalid: [a, b]`, with one cause per (undeduplicated) field error. */
  static invalid(gk: GroupKind, name: string, errors: FieldError[]): StatusError {
    const causes = errors.map((e) => cause(e.type, e.body(), e.field));
    const msg =
      errors.length === 0
        ? `${gkString(gk)} ${goQuote(name)} is invalid`
        : `${gkString(gk)} ${goQuote(name)} is invalid: ${aggregate(errors.map((e) => e.message()))}`;
    return new StatusError(422, 'Invalid', msg, details({ name, group: gk.group, kind: gk.kind, causes }));
  }

  static badRequest(message: string): StatusError {
    return new StatusError(400, 'BadRequest', message);
  }

  /** NewMethodNotSupported: `create is not supported on resources of kind "x"`. */
  static methodNotSupported(gr: GroupResource, action: string): StatusError {
    return new StatusError(
      405,
      'MethodNotAllowed',
      `${action} is not supported on resources of kind ${goQuote(grString(gr))}`,
      details({ group: gr.group, kind: gr.resource }),
    );
  }

  /** NewForbidden: `forbidden: why` without a resource, `pods is forbidden: why` without a name. */
  static forbidden(gr: GroupResource, name: string, why: string): StatusError {
    let message: string;
    if (gr.group === '' && gr.resource === '') message = `forbidden: ${why}`;
    else if (name === '') message = `${grString(gr)} is forbidden: ${why}`;
    else message = `${grString(gr)} ${goQuote(name)} is forbidden: ${why}`;
    return new StatusError(403, 'Forbidden', message, details({ name, group: gr.group, kind: gr.resource }));
  }

  /** NewUnauthorized: the authentication filter passes "Unauthorized"; an empty reason reads "not authorized". */
  static unauthorized(reason = 'Unauthorized'): StatusError {
    return new StatusError(401, 'Unauthorized', reason || 'not authorized');
  }

  /** NewResourceExpired (410, reason Expired). */
  static expired(message: string): StatusError {
    return new StatusError(410, 'Expired', message);
  }

  /** NewGone (410, reason Gone); deprecated upstream in favour of NewResourceExpired. */
  static gone(message: string): StatusError {
    return new StatusError(410, 'Gone', message);
  }

  static resourceExpired(message: string): StatusError {
    return new StatusError(410, 'Expired', message);
  }

  /**
   * negotiation.NewUnsupportedMediaTypeError: a Status without details. `accepted` are the media
   * types of the serializers in play (JSON, YAML and protobuf by default in 1.33).
   */
  static unsupportedMediaType(
    _contentType: string,
    accepted: readonly string[] = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'],
  ): StatusError {
    return new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    );
  }

  static notAcceptable(message: string): StatusError {
    return new StatusError(406, 'NotAcceptable', message);
  }

  /** NewInternalError: `Internal error occurred: <err>`, the error text repeated as the only cause. */
  static internal(err: unknown): StatusError {
    const message = err instanceof Error ? err.message : String(err);
    return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [cause('', message, '')] }, { cause: err });
  }

  /** NewServerTimeout: `The get operation against pods could not be completed at this time, please try again.` */
  static serverTimeout(gr: GroupResource, operation: string, retryAfterSeconds: number): StatusError {
    return new StatusError(
      500,
      'ServerTimeout',
      `The ${operation} operation against ${grString(gr)} could not be completed at this time, please try again.`,
      details({ name: operation, group: gr.group, kind: gr.resource, retryAfterSeconds }),
    );
  }

  /** NewTimeoutError: `Timeout: <message>` (504). */
  static timeout(message: string, retryAfterSeconds: number): StatusError {
    return new StatusError(504, 'Timeout', `Timeout: ${message}`, details({ retryAfterSeconds }));
  }

  /** NewTooManyRequests: the message as given, with retryAfterSeconds (429). */
  static tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
    return new StatusError(429, 'TooManyRequests', message, details({ retryAfterSeconds }));
  }

  /** NewRequestEntityTooLargeError: `Request entity too large: <message>` (413). */
  static requestEntityTooLarge(message: string): StatusError {
    return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
  }

  /** NewServiceUnavailable (503). */
  static serviceUnavailable(reason: string): StatusError {
    return new StatusError(503, 'ServiceUnavailable', reason);
  }

  static notFoundPath(): StatusError {
    return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
}
