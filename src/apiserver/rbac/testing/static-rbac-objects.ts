// In-memory RBAC objects for tests of the resolver, the authorizer and the escalation guard.
import type { KObject } from '../../registry/kobject.ts';
import type { RbacObjects } from '../rule-resolver.ts';

export class StaticRbacObjects implements RbacObjects {
  readonly items: KObject[];
  constructor(items: KObject[]) {
    this.items = items;
  }
  #of(kind: string): KObject[] {
    return this.items.filter((o) => o.kind === kind);
  }
  clusterRoleBindings(): Iterable<KObject> {
    return this.#of('ClusterRoleBinding');
  }
  roleBindings(namespace: string): Iterable<KObject> {
    return this.#of('RoleBinding').filter((b) => b.metadata.namespace === namespace);
  }
  clusterRole(name: string): KObject | undefined {
    return this.#of('ClusterRole').find((r) => r.metadata.name === name);
  }
  role(namespace: string, name: string): KObject | undefined {
    return this.#of('Role').find((r) => r.metadata.namespace === namespace && r.metadata.name === name);
  }
  clusterRoles(): Iterable<KObject> {
    return this.#of('ClusterRole');
  }
}
