// Upstream's 403 texts: `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"`.
import { StatusError } from '../../machinery/status-error.ts';
import type { RequestAttributes } from './authorizer.ts';

/** The reason clause, as upstream's authorizer error (forbiddenMessage). */
export function forbiddenReason(a: RequestAttributes, reason: string): string {
  const who = `User "${a.user.name}"`;
  let msg: string;
  if (!a.resourceRequest) {
    msg = `${who} cannot ${a.verb} path "${a.path}"`;
  } else {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
    msg = `${who} cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
  }
  return reason ? `${msg}: ${reason}` : msg;
}

export function forbiddenError(a: RequestAttributes, reason: string): StatusError {
  const why = forbiddenReason(a, reason);
  if (!a.resourceRequest) return new StatusError(403, 'Forbidden', `forbidden: ${why}`, {});
  return StatusError.forbidden({ group: a.apiGroup, resource: a.resource }, a.name, why);
}
