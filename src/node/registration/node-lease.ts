// The node's heartbeat Lease in kube-node-lease, created owned by the Node and renewed as the kubelet's lease controller does.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { ApiError, type KubeClient, type ResourceRef } from '../../client/client.ts';

export const leasesRef: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true };
export const nodeLeaseNamespace = 'kube-node-lease';
/** The kubelet's --node-lease-duration-seconds; it renews every quarter of it. */
export const nodeLeaseDurationSeconds = 40;
export const leaseRenewIntervalMs = (nodeLeaseDurationSeconds * 1000) / 4;

export type LeaseClient = Pick<KubeClient, 'get' | 'create' | 'update'>;

/** metav1.MicroTime as serialized: RFC 3339 with six fractional digits. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function newLease(nodeName: string, node: KObject | undefined, now: Date): KObject {
  const lease: KObject = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: nodeName, namespace: nodeLeaseNamespace },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: nodeLeaseDurationSeconds, renewTime: microTime(now) },
  };
  if (node?.metadata.uid) lease.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata.uid }];
  return lease;
}

/**
 * Renews (creating when missing) the node's Lease. Like the kubelet's controller it keeps the last lease it wrote and
 * re-reads only after a conflict, and it adds the owner reference once the Node is known.
 */
export class NodeLease {
  readonly #client: LeaseClient;
  readonly #nodeName: string;
  readonly #node: () => KObject | undefined;
  readonly #now: () => Date;
  #latest: KObject | undefined;

  constructor(client: LeaseClient, nodeName: string, node: () => KObject | undefined, now: () => Date = () => new Date()) {
    this.#client = client;
    this.#nodeName = nodeName;
    this.#node = node;
    this.#now = now;
  }

  async renew(): Promise<KObject> {
    if (!this.#latest) this.#latest = await this.#ensure();
    else {
      try {
        this.#latest = await this.#client.update(leasesRef, this.#renewed(this.#latest));
      } catch (e) {
        if (!(e instanceof ApiError) || (e.status !== 409 && e.status !== 404)) throw e;
        this.#latest = await this.#ensure();
      }
    }
    return this.#latest;
  }

  #renewed(lease: KObject): KObject {
    const next = structuredClone(lease);
    next.spec = { ...next.spec, holderIdentity: this.#nodeName, leaseDurationSeconds: nodeLeaseDurationSeconds, renewTime: microTime(this.#now()) };
    const node = this.#node();
    if (!next.metadata.ownerReferences?.length && node?.metadata.uid) {
      next.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: this.#nodeName, uid: node.metadata.uid }];
    }
    return next;
  }

  async #ensure(): Promise<KObject> {
    let current: KObject;
    try {
      current = await this.#client.get(leasesRef, nodeLeaseNamespace, this.#nodeName);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) throw e;
      return this.#client.create(leasesRef, nodeLeaseNamespace, newLease(this.#nodeName, this.#node(), this.#now()));
    }
    return this.#client.update(leasesRef, this.#renewed(current));
  }
}
