// `kubectl --as`: Impersonate-User / -Group / -Uid / -Extra-* headers, each checked with the impersonate verb.
import type { IncomingMessage } from 'node:http';
import { StatusError } from '../../machinery/status-error.ts';
import type { UserInfo } from '../registry/request-context.ts';
import type { Authorizer, RequestAttributes } from './authorizer.ts';
import { forbiddenError } from './forbidden.ts';

const saPrefix = 'system:serviceaccount:';

function header(req: IncomingMessage, name: string): string[] {
  const v = req.headers[name];
  return v === undefined ? [] : Array.isArray(v) ? v : v.split(',').map((s) => s.trim());
}

/** Returns the user to act as (the requester itself when no impersonation header is present). */
export async function impersonate(req: IncomingMessage, user: UserInfo, authorizer: Authorizer): Promise<UserInfo> {
  const users = header(req, 'impersonate-user');
  const groups = header(req, 'impersonate-group');
  const uids = header(req, 'impersonate-uid');
  const extraHeaders = Object.keys(req.headers).filter((h) => h.startsWith('impersonate-extra-'));
  if (!users.length) {
    if (groups.length || uids.length || extraHeaders.length) {
      throw StatusError.badRequest('requested [] without impersonating a user');
    }
    return user;
  }
  const check = async (a: Omit<RequestAttributes, 'user' | 'verb' | 'resourceRequest' | 'path' | 'apiVersion' | 'subresource'>) => {
    const attrs: RequestAttributes = { ...a, user, verb: 'impersonate', resourceRequest: true, path: '', apiVersion: '', subresource: '' };
    const d = await authorizer.authorize(attrs);
    if (!d.allowed) throw forbiddenError(attrs, d.reason);
  };
  const name = users[0];
  if (name.startsWith(saPrefix)) {
    const [ns, sa] = name.slice(saPrefix.length).split(':');
    await check({ apiGroup: '', resource: 'serviceaccounts', namespace: ns ?? '', name: sa ?? '' });
  } else {
    await check({ apiGroup: '', resource: 'users', namespace: '', name });
  }
  for (const g of groups) await check({ apiGroup: '', resource: 'groups', namespace: '', name: g });
  for (const u of uids) await check({ apiGroup: 'authentication.k8s.io', resource: 'uids', namespace: '', name: u });
  const extra: Record<string, string[]> = {};
  for (const h of extraHeaders) {
    const key = decodeURIComponent(h.slice('impersonate-extra-'.length));
    const values = header(req, h);
    for (const v of values) await check({ apiGroup: 'authentication.k8s.io', resource: `userextras/${key}`, namespace: '', name: v });
    extra[key] = values;
  }
  const all = new Set(groups);
  if (name.startsWith(saPrefix)) {
    const ns = name.slice(saPrefix.length).split(':')[0];
    all.add('system:serviceaccounts');
    all.add(`system:serviceaccounts:${ns}`);
  }
  if (name !== 'system:anonymous') all.add('system:authenticated');
  return { name, groups: [...all], ...(uids[0] ? { uid: uids[0] } : {}), ...(Object.keys(extra).length ? { extra } : {}) };
}
