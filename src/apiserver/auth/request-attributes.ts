// Derives the authorizer's attributes (verb, resource, scope) from a request, as upstream's RequestInfoFactory.
import type { IncomingMessage } from 'node:http';
import { parseGoBool } from '../../machinery/go-bool.ts';
import type { UserInfo } from '../registry/request-context.ts';
import type { ResourceRequest } from '../http/request-info.ts';
import type { RequestAttributes } from './authorizer.ts';

function isWatch(url: URL): boolean {
  const v = url.searchParams.get('watch');
  if (v === null) return false;
  try {
    return v === '' || parseGoBool(v);
  } catch {
    return false;
  }
}

export function resourceAttributes(req: IncomingMessage, url: URL, info: ResourceRequest, user: UserInfo): RequestAttributes {
  const method = req.method ?? 'GET';
  let verb: string;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = info.name === undefined ? (isWatch(url) ? 'watch' : 'list') : 'get';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = info.name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = method.toLowerCase();
  }
  // namespaces/{name} addresses the namespace itself: its scope is the namespace named.
  const namespace = info.group === '' && info.resource === 'namespaces' && info.name ? info.name : (info.namespace ?? '');
  return {
    user,
    verb,
    resourceRequest: true,
    path: url.pathname,
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource ?? '',
    namespace,
    name: info.name ?? '',
  };
}

export function pathAttributes(req: IncomingMessage, url: URL, user: UserInfo): RequestAttributes {
  return {
    user,
    verb: (req.method ?? 'GET').toLowerCase(),
    resourceRequest: false,
    path: url.pathname,
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    namespace: '',
    name: '',
  };
}
