// RBAC's own guard: nobody may create a role or binding granting more than they hold, unless they may `escalate` or `bind`.
import { isDeepStrictEqual } from 'node:util';
import { goQuote } from '../../machinery/field-errors.ts';
import { StatusError } from '../../machinery/status-error.ts';
import type { Admission } from '../extension.ts';
import type { KObject } from '../registry/kobject.ts';
import type { RequestContext, UserInfo } from '../registry/request-context.ts';
import type { ResourceDefinition } from '../registry/resource.ts';
import { rbacGroup } from './bootstrap-policy.ts';
import { covers } from './covers.ts';
import type { PolicyRule } from './policy-rule.ts';
import { privilegedGroup, type RbacAuthorizer } from './rbac-authorizer.ts';
import { aggregateMessage, RoleResolutionError, type RuleResolver } from './rule-resolver.ts';

const goStrings = (v: readonly string[]) => `[${v.map(goQuote).join(' ')}]`;

/** CompactString: `{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goStrings(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goStrings(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goStrings(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goStrings(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${goStrings(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** CompactRules: rules of one group, one resource and at most one name that differ only by verb become one rule. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple =
      (r.resourceNames ?? []).length <= 1 &&
      (r.nonResourceURLs ?? []).length === 0 &&
      (r.apiGroups ?? []).length === 1 &&
      (r.resources ?? []).length === 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups![0], r.resources![0], r.resourceNames?.[0] ?? null]);
    const have = simple.get(key);
    if (!have) simple.set(key, { ...r, verbs: [...(r.verbs ?? [])] });
    else for (const v of r.verbs ?? []) if (!have.verbs.includes(v)) have.verbs.push(v);
  }
  return [...out, ...simple.values()];
}

/** ConfirmNoEscalation: the user's own rules in `namespace` must cover `rules`. */
export function confirmNoEscalation(resolver: RuleResolver, user: UserInfo, namespace: string, rules: readonly PolicyRule[]): string | undefined {
  const own = resolver.rulesFor(user, namespace);
  const { covered, uncovered } = covers(own.rules, rules);
  if (covered) return undefined;
  const missing = [...new Set(compactRules(uncovered).map(compactString))].sort();
  let msg = `user ${goQuote(user.name)} (groups=${goStrings(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.join('\n')}`;
  if (own.errors.length) msg += `; resolution errors: [${aggregateMessage(own.errors)}]`;
  return msg;
}

/** IsOnlyMutatingGCFields: owner references and finalizers (and bookkeeping) are all that changed. */
function onlyGcFields(obj: KObject, old: KObject): boolean {
  const strip = (o: KObject, from: KObject) =>
    JSON.parse(
      JSON.stringify({
        ...o,
        metadata: { ...o.metadata, ownerReferences: from.metadata.ownerReferences, finalizers: from.metadata.finalizers, managedFields: undefined, resourceVersion: undefined, selfLink: undefined },
      }),
    );
  return isDeepStrictEqual(strip(obj, old), strip(old, old));
}

export function escalationAdmission(authorizer: RbacAuthorizer, resolver: RuleResolver): Admission {
  const allowed = (user: UserInfo, verb: string, resource: string, name: string, namespace: string) =>
    authorizer.decide({ user, verb, resourceRequest: true, path: '', apiGroup: rbacGroup, apiVersion: '*', resource, subresource: '', namespace, name }).allowed;

  return {
    name: 'rbac-escalation',
    admit(op: 'create' | 'update', def: ResourceDefinition, obj: KObject, old: KObject | undefined, ctx: RequestContext): void {
      if (def.group !== rbacGroup) return;
      const user = ctx.user;
      if (user.groups.includes(privilegedGroup)) return;
      if (op === 'update' && old && onlyGcFields(obj, old)) return;
      const namespace = obj.metadata.namespace ?? '';
      const name = obj.metadata.name ?? '';
      const gr = { group: rbacGroup, resource: def.resource };
      if (def.resource === 'roles' || def.resource === 'clusterroles') {
        if (allowed(user, 'escalate', def.resource, name, namespace)) return;
        const why = confirmNoEscalation(resolver, user, namespace, (obj.rules ?? []) as PolicyRule[]);
        if (why) throw StatusError.forbidden(gr, name, why);
        return;
      }
      if (def.resource !== 'rolebindings' && def.resource !== 'clusterrolebindings') return;
      const ref = obj.roleRef ?? {};
      const refResource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : '';
      if (refResource && allowed(user, 'bind', refResource, ref.name ?? '', namespace)) return;
      let rules: PolicyRule[];
      try {
        rules = resolver.roleReferenceRules(ref, namespace);
      } catch (e) {
        if (!(e instanceof RoleResolutionError)) throw e;
        if (e.notFound) throw StatusError.notFound({ group: rbacGroup, resource: e.notFound.resource }, e.notFound.name);
        throw StatusError.internal(e);
      }
      const why = confirmNoEscalation(resolver, user, namespace, rules);
      if (why) throw StatusError.forbidden(gr, name, why);
    },
  };
}
