// The controllers kube-controller-manager runs here, built over the manager's shared informers.
import type { KubeClient, ResourceRef } from '../client/client.ts';
import type { Informer } from '../client/informer.ts';
import type { Logger } from '../server/logger.ts';
import type { Controller } from './controller.ts';
import { DeploymentController } from './deployment/deployment-controller.ts';
import { deploymentsRef } from './deployment/deployment-util.ts';
import { EventRecorder } from './event-recorder.ts';
import { GarbageCollector } from './garbagecollector/garbage-collector.ts';
import { jobsRef } from './job/job-conditions.ts';
import { JobController } from './job/job-controller.ts';
import { TTLAfterFinishedController } from './job/ttl-after-finished-controller.ts';
import { NamespaceController, namespacesRef } from './namespace/namespace-controller.ts';
import { podsRef } from './pods/pod-control.ts';
import { ReplicaSetController } from './replicaset/replicaset-controller.ts';
import { replicaSetsRef } from './replicaset/replicaset-status.ts';
import { configMapsRef, RootCAPublisher } from './rootcacert/root-ca-publisher.ts';
import { ServiceAccountController, serviceAccountsRef } from './serviceaccount/serviceaccount-controller.ts';

export interface ControllerSetOptions {
  client: KubeClient;
  log: Logger;
  informerFor(ref: ResourceRef): Informer;
  startInformers(): Promise<void>;
  /** The cluster CA certificate (PEM) published to every namespace as ConfigMap kube-root-ca.crt. */
  caCert: string;
  gcResyncMs?: number;
}

/** The controllers in the order they run, and the garbage collector (which discovers what it watches). */
export function buildControllers(o: ControllerSetOptions): { controllers: Controller[]; gc: GarbageCollector } {
  const { client, log, informerFor } = o;
  const namespaces = informerFor(namespacesRef);
  const ns = new NamespaceController({ client, namespaces, log });
  const sa = new ServiceAccountController({ client, namespaces, serviceAccounts: informerFor(serviceAccountsRef), log });
  const rootCA = new RootCAPublisher({ client, namespaces, configMaps: informerFor(configMapsRef), rootCA: o.caCert, log });
  const pods = informerFor(podsRef);
  const replicaSets = informerFor(replicaSetsRef);
  const events = (component: string) => new EventRecorder(client, component, log);
  const rsc = new ReplicaSetController({ client, replicaSets, pods, events: events('replicaset-controller'), log });
  const dc = new DeploymentController({ client, deployments: informerFor(deploymentsRef), replicaSets, pods, events: events('deployment-controller'), log });
  const jobs = informerFor(jobsRef);
  const jc = new JobController({ client, jobs, pods, events: events('job-controller'), log });
  const ttl = new TTLAfterFinishedController({ client, jobs, log });
  const gc = new GarbageCollector({ client, log, informerFor, startInformers: o.startInformers, resyncMs: o.gcResyncMs });
  return { controllers: [ns.controller, sa.controller, rootCA.controller, rsc.controller, dc.controller, jc.controller, ttl.controller], gc };
}
