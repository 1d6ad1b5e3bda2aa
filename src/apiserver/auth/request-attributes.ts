// Derives the authorizer's attributes (verb, resource, scope) from a request, as upstream's RequestInfoFactory.
import type { IncomingMessage } from 'node:http';
import { parseGoBool } from '../../machinery/go-bool.ts';
import { parseFieldSelector } from '../../machinery/field-selector.ts';
import { isPathSegmentName } from '../../machinery/validation.ts';
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
  // A list or watch for one name (fieldSelector=metadata.name=x) is authorized for that name, as upstream.
  let name = info.name ?? '';
  if (info.name === undefined && (verb === 'list' || verb === 'watch')) name = selectedName(url);
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
    name,
  };
}

function selectedName(url: URL): string {
  const fs = url.searchParams.get('fieldSelector');
  if (!fs) return '';
  try {
    const name = parseFieldSelector(fs).requiresExactMatch('metadata.name');
    return name !== undefined && isPathSegmentName(name).length === 0 ? name : '';
  } catch {
    return '';
  }
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
