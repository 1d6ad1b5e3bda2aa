// Parses a request path into what it addresses, as upstream's RequestInfoFactory does.

export interface ResourceRequest {
  type: 'resource';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

export interface PathRequest {
  type: 'path';
  path: string;
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** `/api/v1/namespaces/ns/pods/p/log`, `/apis/apps/v1/deployments`, … */
export function parseRequestPath(pathname: string): ResourceRequest | PathRequest {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { type: 'path', path: pathname };
  }
  const req: ResourceRequest = { type: 'resource', group, version, resource: '' };
  // namespaces/{ns}/{resource}/... addresses namespaced content; namespaces/{ns}[/status|finalize] the namespace itself.
  // namespaces/{name}/status and namespaces/{name}/finalize are subresources of the namespace, as upstream.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && namespaceSubresources.has(rest[2]))) {
    req.namespace = rest[1];
    rest = rest.slice(2);
  }
  if (req.namespace !== undefined && rest.length === 0) return { type: 'path', path: pathname };
  req.resource = rest[0];
  if (rest.length >= 2) req.name = rest[1];
  if (rest.length >= 3) req.subresource = rest[2];
  if (rest.length > 3) return { type: 'path', path: pathname };
  return req;
}
