// A ReplicaSet's status from its pods (calculateStatus) and its write through /status with one retry (updateReplicaSetStatus).
import type { KObject } from '../../apiserver/registry/kobject.ts';
import type { ResourceRef } from '../../client/client.ts';
import { selectorFromSet } from '../../machinery/labels.ts';
import { errorMessage, type ControllerClient } from '../controller.ts';
import { rfc3339 } from '../event-recorder.ts';
import { isPodAvailable, isPodReady } from '../pods/pod-state.ts';

export const replicaSetsRef: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true };

export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

export function calculateStatus(rs: KObject, pods: KObject[], manageError: unknown, now: Date): ReplicaSetStatus {
  const status: ReplicaSetStatus = { ...structuredClone(rs.status ?? {}), replicas: pods.length };
  const template = selectorFromSet(rs.spec?.template?.metadata?.labels ?? {});
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (template.matches(pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, rs.spec?.minReadySeconds ?? 0, now)) available++;
    }
  }
  const failure = status.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    status.conditions = [
      ...(status.conditions ?? []),
      { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason, message: errorMessage(manageError) },
    ];
  } else if (!manageError && failure) {
    status.conditions = status.conditions!.filter((c) => c.type !== 'ReplicaFailure');
    if (!status.conditions.length) delete status.conditions;
  }
  status.fullyLabeledReplicas = fullyLabeled;
  status.readyReplicas = ready;
  status.availableReplicas = available;
  return status;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Writes the status unless nothing changed; on failure re-reads once and tries again. Returns the stored object. */
export async function updateReplicaSetStatus(client: ControllerClient, rs: KObject, status: ReplicaSetStatus): Promise<KObject> {
  const cur = rs.status ?? {};
  if (
    (cur.replicas ?? 0) === status.replicas &&
    (cur.fullyLabeledReplicas ?? 0) === (status.fullyLabeledReplicas ?? 0) &&
    (cur.readyReplicas ?? 0) === (status.readyReplicas ?? 0) &&
    (cur.availableReplicas ?? 0) === (status.availableReplicas ?? 0) &&
    (rs.metadata.generation ?? 0) === (cur.observedGeneration ?? 0) &&
    same(cur.conditions, status.conditions)
  ) {
    return rs;
  }
  // Go's omitempty: zero counts are not written (replicas has no omitempty).
  const next: Record<string, unknown> = { ...status, observedGeneration: rs.metadata.generation };
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) if (!next[k]) delete next[k];
  let target = rs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.update(replicaSetsRef, { ...target, status: next }, 'status');
    } catch (e) {
      if (attempt >= 1) throw e;
      target = await client.get(replicaSetsRef, rs.metadata.namespace, rs.metadata.name!);
    }
  }
}
