// The default cluster roles and bindings every cluster starts with, as upstream's bootstrappolicy (Kubernetes 1.33).
import type { KObject } from '../registry/kobject.ts';
import type { PolicyRule } from './policy-rule.ts';

export const rbacGroup = 'rbac.authorization.k8s.io';
export const autoUpdateAnnotation = 'rbac.authorization.kubernetes.io/autoupdate';
const bootstrapLabel = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const readWrite = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** NewRule(verbs).Groups(groups).Resources(resources), with every list sorted as RuleOrDie sorts it. */
function rule(verbs: string[], apiGroups: string[], resources: string[]): PolicyRule {
  return { apiGroups: [...apiGroups].sort(), resources: [...resources].sort(), verbs: [...verbs].sort() };
}

function urls(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { nonResourceURLs: [...nonResourceURLs].sort(), verbs: [...verbs].sort() };
}

function clusterRole(name: string, rules: PolicyRule[] | null, extra: { labels?: Record<string, string>; aggregateFrom?: string } = {}): KObject {
  const role: KObject = {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { ...bootstrapLabel, ...(extra.labels ?? {}) },
      annotations: { [autoUpdateAnnotation]: 'true' },
    },
  };
  if (extra.aggregateFrom) {
    role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [`${rbacGroup}/aggregate-to-${extra.aggregateFrom}`]: 'true' } }] };
  }
  if (rules) role.rules = rules;
  return role;
}

const aggregateTo = (role: string) => ({ [`${rbacGroup}/aggregate-to-${role}`]: 'true' });

/** The bootstrap ClusterRoles dabba serves (upstream's set, restricted to what applies to one machine). */
export function bootstrapClusterRoles(): KObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('system:discovery', [
      urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*']),
    ]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/'])]),
    clusterRole('admin', null, { aggregateFrom: 'admin' }),
    clusterRole('edit', null, { aggregateFrom: 'edit', labels: aggregateTo('admin') }),
    clusterRole('view', null, { aggregateFrom: 'view', labels: aggregateTo('edit') }),
    clusterRole(
      'system:aggregate-to-admin',
      [rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']), rule(readWrite, [rbacGroup], ['roles', 'rolebindings'])],
      { labels: aggregateTo('admin') },
    ),
    clusterRole(
      'system:aggregate-to-edit',
      [
        rule(read, [''], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
        rule(['impersonate'], [''], ['serviceaccounts']),
        rule(write, [''], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
        rule(['create'], [''], ['pods/eviction']),
        rule(write, [''], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
        rule(['create'], [''], ['serviceaccounts/token']),
        rule(write, ['apps'], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
        rule(write, ['autoscaling'], ['horizontalpodautoscalers']),
        rule(write, ['batch'], ['jobs', 'cronjobs']),
        rule(write, ['extensions'], ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
        rule(write, ['policy'], ['poddisruptionbudgets']),
        rule(write, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
        rule(readWrite, ['coordination.k8s.io'], ['leases']),
      ],
      { labels: aggregateTo('edit') },
    ),
    clusterRole(
      'system:aggregate-to-view',
      [
        rule(read, [''], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
        rule(read, [''], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
        rule(read, [''], ['namespaces']),
        rule(read, ['discovery.k8s.io'], ['endpointslices']),
        rule(read, ['apps'], ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale']),
        rule(read, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
        rule(read, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
        rule(read, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies']),
        rule(read, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
        rule(read, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
      ],
      { labels: aggregateTo('view') },
    ),
  ];
}

/** NewClusterBinding(role).Groups(groups): named after the role it grants. */
function clusterBinding(role: string, groups: string[]): KObject {
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name: role, labels: { ...bootstrapLabel }, annotations: { [autoUpdateAnnotation]: 'true' } },
    roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: role },
    subjects: groups.map((name) => ({ apiGroup: rbacGroup, kind: 'Group', name })),
  };
}

export function bootstrapClusterRoleBindings(): KObject[] {
  return [
    clusterBinding('cluster-admin', ['system:masters']),
    clusterBinding('system:discovery', ['system:authenticated']),
    clusterBinding('system:basic-user', ['system:authenticated']),
    clusterBinding('system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
  ];
}
