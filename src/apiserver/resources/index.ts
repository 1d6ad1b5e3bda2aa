// The built-in kinds dabba serves: names, scopes, verbs, subresources and each kind's strategy.
import { allVerbs, type ResourceDefinition } from '../registry/resource.ts';
import type { KObject } from '../registry/kobject.ts';
import { selectorFromLabelSelector } from '../../machinery/labels.ts';
import { strategy as namespaceStrategy } from './core/namespace/strategy.ts';
import { strategy as configMapStrategy } from './core/configmap/strategy.ts';
import { strategy as secretStrategy } from './core/secret/strategy.ts';
import { strategy as serviceAccountStrategy } from './core/serviceaccount/strategy.ts';
import { strategy as coreEventStrategy } from './core/event/strategy.ts';
import { strategy as eventsEventStrategy } from './events/event/strategy.ts';
import { fromCore as eventFromCore, toCore as eventToCore } from './events/event/conversion.ts';
import { strategy as podStrategy } from './core/pod/strategy.ts';
import { strategy as podTemplateStrategy } from './core/podtemplate/strategy.ts';
import { strategy as serviceStrategy } from './core/service/strategy.ts';
import { strategy as endpointsStrategy } from './core/endpoints/strategy.ts';
import { strategy as nodeStrategy } from './core/node/strategy.ts';
import { strategy as deploymentStrategy } from './apps/deployment/strategy.ts';
import { strategy as replicaSetStrategy } from './apps/replicaset/strategy.ts';
import { strategy as endpointSliceStrategy } from './discovery/endpointslice/strategy.ts';
import { strategy as ingressStrategy } from './networking/ingress/strategy.ts';
import { strategy as ingressClassStrategy } from './networking/ingressclass/strategy.ts';
import { strategy as hpaStrategy } from './autoscaling/horizontalpodautoscaler/strategy.ts';
import { toV1 as hpaToV1, fromV1 as hpaFromV1 } from './autoscaling/horizontalpodautoscaler/conversion.ts';
import { strategy as leaseStrategy } from './coordination/lease/strategy.ts';
import { strategy as jobStrategy } from './batch/job/strategy.ts';

/** The order of groups in `/apis`, as kube-apiserver lists them. */
export const groupOrder = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

const replicasScale = {
  specReplicasPath: 'spec.replicas',
  statusReplicasPath: 'status.replicas',
  selector: (obj: KObject) => selectorFromLabelSelector(obj.spec?.selector).toString(),
};

const noDeleteCollection = allVerbs.filter((v) => v !== 'deletecollection');

export function builtinResources(): ResourceDefinition[] {
  const core = (
    kind: string,
    resource: string,
    rest: Partial<ResourceDefinition> & Pick<ResourceDefinition, 'strategy'>,
  ): ResourceDefinition => ({
    group: '',
    versions: [{ version: 'v1' }],
    storageVersion: 'v1',
    kind,
    listKind: `${kind}List`,
    resource,
    singular: kind.toLowerCase(),
    namespaced: true,
    verbs: allVerbs,
    subresources: {},
    ...rest,
  });
  const grouped = (
    group: string,
    version: string,
    kind: string,
    resource: string,
    rest: Partial<ResourceDefinition> & Pick<ResourceDefinition, 'strategy'>,
  ): ResourceDefinition => ({ ...core(kind, resource, rest), group, versions: rest.versions ?? [{ version }], storageVersion: version });

  return [
    core('Namespace', 'namespaces', { namespaced: false, shortNames: ['ns'], verbs: noDeleteCollection, subresources: { status: true }, strategy: namespaceStrategy }),
    core('ConfigMap', 'configmaps', { shortNames: ['cm'], strategy: configMapStrategy }),
    core('Secret', 'secrets', { strategy: secretStrategy, encrypted: true }),
    core('ServiceAccount', 'serviceaccounts', { shortNames: ['sa'], strategy: serviceAccountStrategy }),
    core('Event', 'events', { shortNames: ['ev'], strategy: coreEventStrategy, allowCreateOnUpdate: true }),
    core('Pod', 'pods', { shortNames: ['po'], categories: ['all'], subresources: { status: true }, strategy: podStrategy, returnDeletedObject: true }),
    core('PodTemplate', 'podtemplates', { strategy: podTemplateStrategy }),
    core('Service', 'services', { shortNames: ['svc'], categories: ['all'], subresources: { status: true }, strategy: serviceStrategy, returnDeletedObject: true, allowCreateOnUpdate: true }),
    core('Endpoints', 'endpoints', { shortNames: ['ep'], strategy: endpointsStrategy, singular: 'endpoints', allowCreateOnUpdate: true }),
    core('Node', 'nodes', { namespaced: false, shortNames: ['no'], subresources: { status: true }, strategy: nodeStrategy, allowCreateOnUpdate: false }),
    grouped('apps', 'v1', 'Deployment', 'deployments', {
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: { status: true, scale: replicasScale },
      strategy: deploymentStrategy,
    }),
    grouped('apps', 'v1', 'ReplicaSet', 'replicasets', {
      shortNames: ['rs'],
      categories: ['all'],
      subresources: { status: true, scale: replicasScale },
      strategy: replicaSetStrategy,
    }),
    grouped('events.k8s.io', 'v1', 'Event', 'events', {
      shortNames: ['ev'],
      strategy: eventsEventStrategy,
      storageResource: { group: '', resource: 'events' },
      storageVersion: 'v1',
      versions: [{ version: 'v1', conversion: { toStorage: eventToCore, fromStorage: eventFromCore } }],
      allowCreateOnUpdate: true,
    }),
    grouped('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', {
      shortNames: ['hpa'],
      categories: ['all'],
      subresources: { status: true },
      strategy: hpaStrategy,
      versions: [{ version: 'v2' }, { version: 'v1', conversion: { toStorage: hpaFromV1, fromStorage: hpaToV1 } }],
    }),
    grouped('batch', 'v1', 'Job', 'jobs', { categories: ['all'], subresources: { status: true }, strategy: jobStrategy }),
    grouped('networking.k8s.io', 'v1', 'Ingress', 'ingresses', { shortNames: ['ing'], subresources: { status: true }, strategy: ingressStrategy }),
    grouped('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', { namespaced: false, strategy: ingressClassStrategy }),
    grouped('coordination.k8s.io', 'v1', 'Lease', 'leases', { strategy: leaseStrategy }),
    grouped('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', { strategy: endpointSliceStrategy }),
  ];
}
