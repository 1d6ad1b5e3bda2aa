// The rbac.authorization.k8s.io/v1 kinds: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
import { allVerbs, type ResourceDefinition } from '../../registry/resource.ts';
import type { Strategy } from '../../registry/strategy.ts';
import { strategy as roleStrategy } from './role/strategy.ts';
import { strategy as clusterRoleStrategy } from './clusterrole/strategy.ts';
import { strategy as roleBindingStrategy } from './rolebinding/strategy.ts';
import { strategy as clusterRoleBindingStrategy } from './clusterrolebinding/strategy.ts';

const rbac = (kind: string, resource: string, namespaced: boolean, strategy: Strategy): ResourceDefinition => ({
  group: 'rbac.authorization.k8s.io',
  versions: [{ version: 'v1' }],
  storageVersion: 'v1',
  kind,
  listKind: `${kind}List`,
  resource,
  singular: kind.toLowerCase(),
  namespaced,
  verbs: allVerbs,
  subresources: {},
  strategy,
});

export function rbacResources(): ResourceDefinition[] {
  return [
    rbac('ClusterRoleBinding', 'clusterrolebindings', false, clusterRoleBindingStrategy),
    rbac('ClusterRole', 'clusterroles', false, clusterRoleStrategy),
    rbac('RoleBinding', 'rolebindings', true, roleBindingStrategy),
    rbac('Role', 'roles', true, roleStrategy),
  ];
}
