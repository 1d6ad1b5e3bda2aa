// Upstream's 403 texts: `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"`.
import { goQuote } from '../../machinery/field-errors.ts';
import { StatusError } from '../../machinery/status-error.ts';
import type { RequestAttributes } from './authorizer.ts';

/** responsewriters' sanitizer: nothing in the message may look like HTML (quotes are fine). */
const sanitize = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** forbiddenMessage, sanitized, then `: reason` when the authorizer gave one (as responsewriters.Forbidden). */
export function forbiddenReason(a: RequestAttributes, reason: string): string {
  const who = `User ${goQuote(a.user.name)}`;
  let msg: string;
  if (!a.resourceRequest) {
    msg = `${who} cannot ${a.verb} path ${goQuote(a.path)}`;
  } else {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const scope = a.namespace ? `in the namespace ${goQuote(a.namespace)}` : 'at the cluster scope';
    msg = `${who} cannot ${a.verb} resource ${goQuote(resource)} in API group ${goQuote(a.apiGroup)} ${scope}`;
  }
  msg = sanitize(msg);
  return reason ? `${msg}: ${reason}` : msg;
}

export function forbiddenError(a: RequestAttributes, reason: string): StatusError {
  const why = forbiddenReason(a, reason);
  if (!a.resourceRequest) return new StatusError(403, 'Forbidden', `forbidden: ${why}`, {});
  return StatusError.forbidden({ group: a.apiGroup, resource: a.resource }, a.name, why);
}
