// Table columns for core/v1 Pods: ready containers, the aggregate status reason, restarts with the last one's age, placement.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age, humanDuration, parseTimestamp } from '../../../registry/human-duration.ts';
import { ageColumn, column, nameColumn } from '../../../registry/table-cells.ts';

interface ContainerState {
  waiting?: { reason?: string } | null;
  running?: object | null;
  terminated?: { exitCode?: number; signal?: number; reason?: string; finishedAt?: string | null } | null;
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  started?: boolean | null;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodCondition {
  type?: string;
  status?: string;
  reason?: string;
}

interface PodSpec {
  containers?: { name?: string }[];
  initContainers?: { name?: string; restartPolicy?: string }[];
  nodeName?: string;
  readinessGates?: { conditionType?: string }[];
}

interface PodStatus {
  phase?: string;
  reason?: string;
  conditions?: PodCondition[];
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
  podIP?: string;
  podIPs?: { ip?: string }[];
  nominatedNodeName?: string;
}

/** The kubelet's reason on pods of a node that stopped reporting; upstream shows such pods as Unknown while deleting. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

function later(current: number | undefined, candidate: string | null | undefined): number | undefined {
  const ms = parseTimestamp(candidate);
  if (ms === undefined) return current;
  return current === undefined || ms > current ? ms : current;
}

function conditionIsTrue(conditions: PodCondition[], type: string): boolean {
  // Only the first condition of a type counts, as upstream looks no further.
  const found = conditions.find((c) => c.type === type);
  return found?.status === 'True';
}

/** A terminated container's reason, else its signal, else its exit code. */
function terminationReason(t: NonNullable<ContainerState['terminated']>): string {
  if (t.reason) return t.reason;
  return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
}

interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** READY, STATUS and RESTARTS, following upstream printPod case by case. */
function summarizePod(pod: KObject, now: Date): PodSummary {
  const spec: PodSpec = pod.spec ?? {};
  const status: PodStatus = pod.status ?? {};
  const conditions = status.conditions ?? [];
  const initContainers = spec.initContainers ?? [];

  // Sidecars (init containers that restart always) count among the pod's containers.
  const restartableByName = new Map<string | undefined, boolean>();
  let totalContainers = (spec.containers ?? []).length;
  for (const c of initContainers) {
    const restartable = c.restartPolicy === 'Always';
    restartableByName.set(c.name, restartable);
    if (restartable) totalContainers++;
  }

  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  for (const c of conditions) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const sidecar = restartableByName.get(cs.name) === true;
    restarts += cs.restartCount ?? 0;
    if (cs.lastState?.terminated) lastRestart = later(lastRestart, cs.lastState.terminated.finishedAt);
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated) lastSidecarRestart = later(lastSidecarRestart, cs.lastState.terminated.finishedAt);
    }
    const terminated = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      reason = `Init:${terminationReason(terminated)}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionIsTrue(conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Walked backwards so that the first container's reason is the one left standing.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated) lastRestart = later(lastRestart, cs.lastState.terminated.finishedAt);
      const waiting = cs.state?.waiting;
      const terminated = cs.state?.terminated;
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated) {
        reason = terminationReason(terminated);
      } else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose some containers completed while others still run is not itself completed.
    if (reason === 'Completed' && hasRunning) {
      reason = conditionIsTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) {
    reason = 'Unknown';
  } else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsCell = `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
  }

  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsCell };
}

function readinessGates(spec: PodSpec, status: PodStatus): string {
  const gates = spec.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = status.conditions ?? [];
  const passing = gates.filter((gate) => conditionIsTrue(conditions, gate.conditionType ?? '')).length;
  return `${passing}/${gates.length}`;
}

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Ready containers out of all containers of the pod.'),
    column('Status', 'string', 'Summary of the pod phase and of its container states.'),
    column('Restarts', 'string', 'Container restarts in total, and how long ago the latest one happened.'),
    ageColumn,
    column('IP', 'string', 'First IP address allocated to the pod.', 1),
    column('Node', 'string', 'Node the pod is bound to.', 1),
    column('Nominated Node', 'string', 'Node the scheduler expects to place the pod on after preemption.', 1),
    column('Readiness Gates', 'string', 'Readiness gate conditions that are True out of all gates.', 1),
  ],
  row(pod: KObject, now: Date): unknown[] {
    const spec: PodSpec = pod.spec ?? {};
    const status: PodStatus = pod.status ?? {};
    const { ready, status: reason, restarts } = summarizePod(pod, now);
    const podIP = status.podIPs?.[0]?.ip || status.podIP || '<none>';
    return [
      pod.metadata.name ?? '',
      ready,
      reason,
      restarts,
      age(pod.metadata.creationTimestamp, now),
      podIP,
      spec.nodeName || '<none>',
      status.nominatedNodeName || '<none>',
      readinessGates(spec, status),
    ];
  },
};
