// The root CA publisher: every namespace has ConfigMap `kube-root-ca.crt` holding the cluster CA bundle, kept correct.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';
import type { Logger } from '../../server/logger.ts';
import { isNamespaceTerminating, isNotFound } from '../api-errors.ts';
import { Controller, namespacedKey, type ControllerClient, type SharedInformer } from '../controller.ts';

export const configMapsRef: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };

export const rootCACertConfigMapName = 'kube-root-ca.crt';
export const descriptionAnnotation = 'kubernetes.io/description';
export const description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCAPublisherOptions {
  client: ControllerClient;
  namespaces: SharedInformer;
  configMaps: SharedInformer;
  /** The cluster CA certificate, PEM. */
  rootCA: string;
  log: Logger;
}

const sameData = (a: Record<string, string> | undefined, b: Record<string, string>): boolean => {
  const ak = Object.keys(a ?? {});
  return ak.length === Object.keys(b).length && ak.every((k) => a![k] === b[k]);
};

export class RootCAPublisher {
  readonly controller: Controller;
  readonly #client: ControllerClient;
  readonly #namespaces: SharedInformer;
  readonly #configMaps: SharedInformer;
  readonly #rootCA: string;

  constructor(o: RootCAPublisherOptions) {
    this.#client = o.client;
    this.#namespaces = o.namespaces;
    this.#configMaps = o.configMaps;
    this.#rootCA = o.rootCA;
    this.controller = new Controller('root-ca-cert-publisher', (k) => this.reconcile(k), { log: o.log });
    const onConfigMap = (cm: KObject) => {
      if (cm.metadata.name === rootCACertConfigMapName && cm.metadata.namespace) this.controller.enqueue(cm.metadata.namespace);
    };
    o.configMaps.on({ update: onConfigMap, delete: onConfigMap });
    o.namespaces.on({
      add: (ns) => this.controller.enqueue(ns.metadata.name!),
      update: (ns) => ns.status?.phase === 'Active' && this.controller.enqueue(ns.metadata.name!),
    });
  }

  async reconcile(namespace: string): Promise<void> {
    const ns = this.#namespaces.get(namespace);
    // Upstream relies on the create failing in a terminating namespace; skipping it here also avoids re-creating
    // the ConfigMap while the namespace controller empties the namespace.
    if (!ns || ns.metadata.deletionTimestamp || (ns.status?.phase && ns.status.phase !== 'Active')) return;
    const data = { 'ca.crt': this.#rootCA };
    const cm = this.#configMaps.get(namespacedKey(namespace, rootCACertConfigMapName));
    if (!cm) {
      try {
        await this.#client.create(configMapsRef, namespace, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: rootCACertConfigMapName, namespace, annotations: { [descriptionAnnotation]: description } },
          data,
        });
      } catch (e) {
        // Don't retry a create if the namespace doesn't exist or is terminating.
        if (isNotFound(e) || isNamespaceTerminating(e)) return;
        throw e;
      }
      return;
    }
    if (sameData(cm.data, data) && cm.metadata.annotations?.[descriptionAnnotation]) return;
    const next = structuredClone(cm);
    next.data = data;
    next.metadata.annotations = { ...next.metadata.annotations, [descriptionAnnotation]: description };
    await this.#client.update(configMapsRef, next);
  }
}
