// Which RBAC rules apply to a user in a namespace, walking bindings to roles as upstream's DefaultRuleResolver.
import type { KObject } from '../registry/kobject.ts';
import type { UserInfo } from '../registry/request-context.ts';
import type { PolicyRule } from './policy-rule.ts';
import { goQuote } from '../../machinery/field-errors.ts';

/** The RBAC objects a resolver reads: kept in memory and fresh by the caller. */
export interface RbacObjects {
  clusterRoleBindings(): Iterable<KObject>;
  roleBindings(namespace: string): Iterable<KObject>;
  clusterRole(name: string): KObject | undefined;
  role(namespace: string, name: string): KObject | undefined;
}

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

/** A failure to resolve a binding's role, worded as upstream's lister errors. */
export class RoleResolutionError extends Error {
  readonly code = 'RBAC_ROLE_RESOLUTION';
  /** Set when the role does not exist: the lister's singular resource (`role`, `clusterrole`) and the name. */
  readonly notFound: { resource: string; name: string } | undefined;
  constructor(message: string, notFound?: { resource: string; name: string }) {
    super(message);
    this.notFound = notFound;
  }
}

const notFound = (resource: string, name: string) =>
  new RoleResolutionError(`${resource}.rbac.authorization.k8s.io ${goQuote(name)} not found`, { resource, name });

/** Visitor: return false to stop. `source` describes the binding that granted `rule`. */
export type RuleVisitor = (source: string | undefined, rule: PolicyRule | undefined, err: Error | undefined) => boolean;

const saPrefix = 'system:serviceaccount:';

/** serviceaccount.MatchesUsername. */
export function serviceAccountMatches(namespace: string, name: string, username: string): boolean {
  return username === `${saPrefix}${namespace}:${name}`;
}

function appliesToUser(user: UserInfo, s: Subject, namespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.name === s.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      if (!ns) return false;
      return serviceAccountMatches(ns, s.name, user.name);
    }
    default:
      return false;
  }
}

function appliesTo(user: UserInfo, subjects: Subject[] | undefined, namespace: string): Subject | undefined {
  return (subjects ?? []).find((s) => appliesToUser(user, s, namespace));
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${goQuote(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${goQuote(s.name)}`;
}

export class RuleResolver {
  readonly #objects: RbacObjects;

  constructor(objects: RbacObjects) {
    this.#objects = objects;
  }

  /** GetRoleReferenceRules: the rules of the role a binding names. */
  roleReferenceRules(roleRef: { kind?: string; name?: string }, bindingNamespace: string): PolicyRule[] {
    switch (roleRef.kind) {
      case 'Role': {
        const role = this.#objects.role(bindingNamespace, roleRef.name ?? '');
        if (!role) throw notFound('role', roleRef.name ?? '');
        return role.rules ?? [];
      }
      case 'ClusterRole': {
        const role = this.#objects.clusterRole(roleRef.name ?? '');
        if (!role) throw notFound('clusterrole', roleRef.name ?? '');
        return role.rules ?? [];
      }
      default:
        throw new RoleResolutionError(`unsupported role reference kind: ${goQuote(roleRef.kind ?? '')}`);
    }
  }

  /** VisitRulesFor: cluster role bindings first, then the role bindings of `namespace`. */
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void {
    for (const b of this.#objects.clusterRoleBindings()) {
      const subject = appliesTo(user, b.subjects, '');
      if (!subject) continue;
      let rules: PolicyRule[];
      try {
        rules = this.roleReferenceRules(b.roleRef ?? {}, '');
      } catch (e) {
        if (!visit(undefined, undefined, e as Error)) return;
        continue;
      }
      const source = `ClusterRoleBinding ${goQuote(b.metadata.name ?? '')} of ${b.roleRef?.kind} ${goQuote(b.roleRef?.name ?? '')} to ${describeSubject(subject, '')}`;
      for (const r of rules) if (!visit(source, r, undefined)) return;
    }
    if (!namespace) return;
    for (const b of this.#objects.roleBindings(namespace)) {
      const subject = appliesTo(user, b.subjects, namespace);
      if (!subject) continue;
      let rules: PolicyRule[];
      try {
        rules = this.roleReferenceRules(b.roleRef ?? {}, namespace);
      } catch (e) {
        if (!visit(undefined, undefined, e as Error)) return;
        continue;
      }
      const source = `RoleBinding ${goQuote(`${b.metadata.name}/${namespace}`)} of ${b.roleRef?.kind} ${goQuote(b.roleRef?.name ?? '')} to ${describeSubject(subject, namespace)}`;
      for (const r of rules) if (!visit(source, r, undefined)) return;
    }
  }

  /** RulesFor: every rule that applies, and the errors met on the way. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: Error[] } {
    const rules: PolicyRule[] = [];
    const errors: Error[] = [];
    this.visitRulesFor(user, namespace, (_s, r, err) => {
      if (r) rules.push(r);
      if (err) errors.push(err);
      return true;
    });
    return { rules, errors };
  }
}

/** utilerrors.NewAggregate(errs).Error(): one message alone, several deduplicated in brackets. */
export function aggregateMessage(errors: readonly Error[]): string {
  const seen: string[] = [];
  for (const e of errors) if (!seen.includes(e.message)) seen.push(e.message);
  if (errors.length === 1) return errors[0].message;
  if (seen.length === 1) return seen[0];
  return `[${seen.join(', ')}]`;
}
