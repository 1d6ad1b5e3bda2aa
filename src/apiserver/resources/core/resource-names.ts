// Upstream's standard resource names (pkg/apis/core/helper): what requests, limits, quotas and metrics may name unprefixed.

/** helper.IsStandardContainerResourceName. */
export const standardContainerResources: ReadonlySet<string> = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** helper.IsStandardResourceName. */
export const standardResources: ReadonlySet<string> = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);

/** helper.IsHugePageResourceName. */
export const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
