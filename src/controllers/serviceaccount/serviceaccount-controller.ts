// The service account controller: every Active namespace has a ServiceAccount named `default`, re-created if deleted.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';
import type { Logger } from '../../server/logger.ts';
import { isAlreadyExists, isNamespaceTerminating } from '../api-errors.ts';
import { Controller, namespacedKey, type ControllerClient, type SharedInformer } from '../controller.ts';

export const serviceAccountsRef: ResourceRef = { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true };

/** The accounts ensured in each namespace, as kube-controller-manager's default. */
export const serviceAccountsToEnsure = ['default'];

export interface ServiceAccountControllerOptions {
  client: ControllerClient;
  namespaces: SharedInformer;
  serviceAccounts: SharedInformer;
  log: Logger;
}

export class ServiceAccountController {
  readonly controller: Controller;
  readonly #client: ControllerClient;
  readonly #namespaces: SharedInformer;
  readonly #serviceAccounts: SharedInformer;

  constructor(o: ServiceAccountControllerOptions) {
    this.#client = o.client;
    this.#namespaces = o.namespaces;
    this.#serviceAccounts = o.serviceAccounts;
    this.controller = new Controller('serviceaccount', (k) => this.reconcile(k), { log: o.log });
    const enqueueNamespace = (ns: KObject) => this.controller.enqueue(ns.metadata.name!);
    o.namespaces.on({ add: enqueueNamespace, update: enqueueNamespace });
    o.serviceAccounts.on({ delete: (sa) => sa.metadata.namespace && this.controller.enqueue(sa.metadata.namespace) });
  }

  async reconcile(namespace: string): Promise<void> {
    const ns = this.#namespaces.get(namespace);
    // Creating content in a namespace that is not Active would only fail (or, worse, hold up its deletion).
    if (!ns || ns.status?.phase !== 'Active' || ns.metadata.deletionTimestamp) return;
    const failures: Error[] = [];
    for (const name of serviceAccountsToEnsure) {
      if (this.#serviceAccounts.get(namespacedKey(namespace, name))) continue;
      try {
        await this.#client.create(serviceAccountsRef, namespace, {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name, namespace },
        });
      } catch (e) {
        if (!isAlreadyExists(e) && !isNamespaceTerminating(e)) failures.push(e as Error);
      }
    }
    if (failures.length) throw new AggregateError(failures, failures.map((e) => e.message).join('; '));
  }
}
