// The PodStatus the kubelet reports: container statuses from the runtime, the phase, the kubelet's conditions and addresses.
import type { ContainerStateName } from '../runtime/runtime.ts';
import {
  isRestartableInitContainer,
  type Container,
  type ContainerState,
  type ContainerStatus,
  type Pod,
  type PodCondition,
  type PodPhase,
  type PodStatus,
} from '../pod-worker-types.ts';
import { podQOS } from './resources.ts';

/** One runtime container of a pod: an attempt of a spec container. */
export interface ContainerRecord {
  /** The runtime's id (without the `dabba://` prefix). */
  id: string;
  name: string;
  /** 0 for the first run, then the restart count of that run. */
  attempt: number;
  state: ContainerStateName;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  reason?: string;
  /** The termination message, when the container wrote one (or its log tail, per terminationMessagePolicy). */
  message?: string;
  /** The normalized image reference (`docker.io/library/busybox:latest`). */
  image: string;
  imageID: string;
}

/** What the runtime says about a pod right now. */
export interface RuntimePodView {
  /** A sandbox with networking exists and needs no re-creation. */
  sandboxReady: boolean;
  podIPs: string[];
  /** Every container the runtime still has for the pod, any order. */
  containers: ContainerRecord[];
}

/** Probe results by container id (Started and Ready as the prober manager sets them). */
export interface ProbeView {
  started(containerName: string, containerID: string): boolean;
  ready(containerName: string, containerID: string): boolean;
}

export interface StatusInputs {
  pod: Pod;
  /** The status manager's last status for the pod, else the API's. */
  oldStatus: PodStatus;
  runtime: RuntimePodView;
  /** The last failure to start each container (reason such as CrashLoopBackOff and its message). */
  startFailures: ReadonlyMap<string, { reason: string; message: string }>;
  probes: ProbeView;
  hostIPs: string[];
  /** The pod is terminal: its containers will not be restarted. */
  podIsTerminal: boolean;
}

export const containerIDPrefix = 'dabba://';
export const PodInitializing = 'PodInitializing';
export const ContainerCreating = 'ContainerCreating';

/** metav1.Time's wire form: RFC 3339 to the second. */
export const apiTime = (t: string | number | Date | undefined): string | null => {
  if (t === undefined) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace(/\.\d+Z$/, 'Z');
};

/** The newest record of each name first. */
function newestFirst(records: readonly ContainerRecord[]): ContainerRecord[] {
  return [...records].sort((a, b) => b.attempt - a.attempt || Date.parse(b.createdAt) - Date.parse(a.createdAt));
}

export function latestRecord(records: readonly ContainerRecord[], name: string): ContainerRecord | undefined {
  return newestFirst(records.filter((r) => r.name === name))[0];
}

/** kubecontainer.ShouldContainerBeRestarted. */
export function shouldContainerBeRestarted(container: Container, pod: Pod, records: readonly ContainerRecord[]): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const latest = latestRecord(records, container.name);
  if (!latest) return true;
  if (latest.state === 'running') return false;
  if (latest.state === 'unknown' || latest.state === 'created') return true;
  if (pod.spec.restartPolicy === 'Never') return false;
  if (pod.spec.restartPolicy === 'OnFailure' && latest.exitCode === 0) return false;
  return true;
}

function recordState(r: ContainerRecord, old: ContainerStatus | undefined): ContainerState {
  switch (r.state) {
    case 'running':
      return { running: { startedAt: apiTime(r.startedAt) } };
    case 'created':
      return { waiting: {} };
    case 'exited':
      return {
        terminated: {
          exitCode: r.exitCode ?? 0,
          reason: r.reason,
          message: r.message || undefined,
          startedAt: apiTime(r.startedAt),
          finishedAt: apiTime(r.finishedAt),
          containerID: containerIDPrefix + r.id,
        },
      };
    default:
      if (old?.state.running) {
        return {
          terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' },
        };
      }
      return { waiting: {} };
  }
}

/** kubelet.convertToAPIContainerStatuses for one list of containers. */
function containerStatuses(inputs: StatusInputs, containers: readonly Container[], previous: readonly ContainerStatus[] | undefined, isInit: boolean): ContainerStatus[] {
  const { pod, runtime } = inputs;
  const hasInit = (pod.spec.initContainers?.length ?? 0) > 0;
  const oldByName = new Map((previous ?? []).map((s) => [s.name, s]));
  const statuses = new Map<string, ContainerStatus>();
  for (const c of containers) {
    let status: ContainerStatus = {
      name: c.name,
      state: { waiting: { reason: hasInit ? PodInitializing : ContainerCreating } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: c.image ?? '',
      imageID: '',
    };
    if (c.volumeMounts?.length) {
      status.volumeMounts = c.volumeMounts.map((m) => ({
        name: m.name,
        mountPath: m.mountPath,
        ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
      }));
    }
    const old = oldByName.get(c.name);
    if (old) {
      if (old.state?.terminated) status = structuredClone({ ...old, lastState: old.lastState ?? {} });
      else {
        status.restartCount = old.restartCount ?? 0;
        status.lastState = structuredClone(old.lastState ?? {});
      }
    }
    statuses.set(c.name, status);
  }

  // A container that was running and vanished from the runtime terminated, even if we cannot say how.
  for (const c of containers) {
    if (runtime.containers.some((r) => r.name === c.name)) continue;
    const old = oldByName.get(c.name);
    if (!old || old.state?.terminated || !old.state?.running) continue;
    const status = statuses.get(c.name)!;
    const defaultWaiting = status.state.waiting?.reason === (hasInit ? PodInitializing : ContainerCreating);
    if (!defaultWaiting || status.lastState.terminated) continue;
    status.lastState = {
      terminated: {
        exitCode: 137,
        reason: 'ContainerStatusUnknown',
        message: 'The container could not be located when the pod was deleted.  The container used to be Running',
      },
    };
    if (!pod.metadata.deletionTimestamp) status.restartCount += 1;
  }

  const seen = new Map<string, number>();
  for (const r of newestFirst(runtime.containers)) {
    if (!statuses.has(r.name)) continue;
    const n = seen.get(r.name) ?? 0;
    if (n >= 2) continue;
    const old = oldByName.get(r.name);
    const state = recordState(r, old);
    if (n === 0) {
      const s: ContainerStatus = {
        name: r.name,
        state,
        lastState: statuses.get(r.name)!.lastState,
        ready: false,
        restartCount: r.attempt,
        image: r.image,
        imageID: r.imageID,
        containerID: containerIDPrefix + r.id,
      };
      if (r.state === 'unknown' && old?.state.running) s.restartCount = (old.restartCount ?? 0) + 1;
      if (r.state === 'running' && old?.started !== undefined) s.started = old.started;
      const spec = containers.find((c) => c.name === r.name)!;
      const vm = statuses.get(r.name)!.volumeMounts;
      if (vm) s.volumeMounts = vm;
      s.resources = structuredClone(spec.resources ?? {});
      statuses.set(r.name, s);
    } else {
      statuses.get(r.name)!.lastState = state;
    }
    seen.set(r.name, n + 1);
  }

  // Containers that failed to start and will be retried are waiting, with the reason of the last failure.
  for (const c of containers) {
    const latest = latestRecord(runtime.containers, c.name);
    if (isInit && latest?.state === 'exited' && latest.exitCode === 0) continue;
    if (!shouldContainerBeRestarted(c, pod, runtime.containers)) continue;
    const failure = inputs.startFailures.get(c.name);
    if (!failure) continue;
    const status = statuses.get(c.name)!;
    if (status.state.terminated) status.lastState = status.state;
    status.state = { waiting: { reason: failure.reason, message: failure.message || undefined } };
  }

  const list = containers.map((c) => statuses.get(c.name)!);
  if (!isInit) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return list;
}

/** prober manager's UpdatePodStatus: Started and Ready from probe results (no probe = started/ready once running). */
function applyProbes(inputs: StatusInputs, status: PodStatus): void {
  const { pod, probes } = inputs;
  for (const cs of status.containerStatuses ?? []) {
    const id = (cs.containerID ?? '').slice(containerIDPrefix.length);
    const started = !!cs.state.running && probes.started(cs.name, id);
    cs.started = started;
    cs.ready = started && probes.ready(cs.name, id);
  }
  for (const cs of status.initContainerStatuses ?? []) {
    const id = (cs.containerID ?? '').slice(containerIDPrefix.length);
    cs.started = !!cs.state.running && probes.started(cs.name, id);
    const spec = pod.spec.initContainers?.find((c) => c.name === cs.name);
    if (spec && isRestartableInitContainer(spec)) cs.ready = cs.started && probes.ready(cs.name, id);
    else cs.ready = cs.state.terminated?.exitCode === 0;
  }
}

/** getPhase for Kubernetes 1.33 (ContainerRestartRules off). */
export function podPhase(pod: Pod, statuses: readonly ContainerStatus[], podIsTerminal: boolean, podHasInitialized: boolean): PodPhase {
  const spec = pod.spec;
  const find = (name: string) => statuses.find((s) => s.name === name);
  let pendingRestartableInit = 0;
  let pendingRegularInit = 0;
  let failedInitialization = 0;
  for (const c of spec.initContainers ?? []) {
    if (isRestartableInitContainer(c)) continue;
    const s = find(c.name);
    if (!s) {
      pendingRegularInit++;
      continue;
    }
    if (s.state.running) pendingRegularInit++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (s.state.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInitialization++;
      } else pendingRegularInit++;
    } else pendingRegularInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (!isRestartableInitContainer(c)) continue;
    const s = find(c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state.running) {
      if (!s.started) pendingRestartableInit++;
      running++;
    } else if (s.state.terminated) {
      // Stopped sidecars do not count.
    } else if (s.state.waiting) {
      if (!s.lastState?.terminated) {
        pendingRestartableInit++;
        waiting++;
      }
    } else {
      pendingRestartableInit++;
      unknown++;
    }
  }
  for (const c of spec.containers) {
    const s = find(c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInitialization > 0 && spec.restartPolicy === 'Never') return 'Failed';
  if (pendingRegularInit > 0 || (pendingRestartableInit > 0 && !podHasInitialized)) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (spec.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

const goList = (names: string[]) => `[${names.join(' ')}]`;

type Condition = Omit<PodCondition, 'lastProbeTime' | 'lastTransitionTime'>;

function containersReadyCondition(pod: Pod, statuses: readonly ContainerStatus[], phase: PodPhase): Condition {
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (c: Container) => {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  };
  for (const c of pod.spec.initContainers ?? []) if (isRestartableInitContainer(c)) check(c);
  for (const c of pod.spec.containers) check(c);
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) messages.push(`containers with unready status: ${goList(unready)}`);
  if (messages.length) return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: messages.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

function readyCondition(pod: Pod, conditions: readonly Condition[], statuses: readonly ContainerStatus[], phase: PodPhase): Condition {
  const cr = containersReadyCondition(pod, statuses, phase);
  if (cr.status !== 'True') return { type: 'Ready', status: cr.status, reason: cr.reason, message: cr.message };
  const messages: string[] = [];
  for (const g of pod.spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (messages.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: messages.join(', ') };
  return { type: 'Ready', status: 'True' };
}

function hasAnyRegularContainerStarted(pod: Pod, statuses: readonly ContainerStatus[]): boolean {
  return pod.spec.containers.some((c) => {
    const s = statuses.find((x) => x.name === c.name);
    return !!s && (!!s.state.running || !!s.state.terminated);
  });
}

function initializedCondition(pod: Pod, statuses: readonly ContainerStatus[], phase: PodPhase): Condition {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of pod.spec.initContainers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) {
      unknown.push(c.name);
      continue;
    }
    const done = isRestartableInitContainer(c) ? !!s.started : s.ready;
    if (!done) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (hasAnyRegularContainerStarted(pod, statuses)) return { type: 'Initialized', status: 'True' };
  const messages: string[] = [];
  if (unknown.length) messages.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) messages.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (messages.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: messages.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

/** The condition types the kubelet owns; others (DisruptionTarget aside) are kept as the API has them. */
export const kubeletConditions = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

/** kubelet.generateAPIPodStatus, with lastTransitionTime carried over from the old status while a condition's status holds. */
export function generatePodStatus(inputs: StatusInputs, now = new Date()): PodStatus {
  const { pod, oldStatus, runtime } = inputs;
  const status: PodStatus = { qosClass: podQOS(pod.spec) };
  const podIPs = pod.spec.hostNetwork ? inputs.hostIPs.slice(0, 1) : runtime.podIPs;
  if (podIPs.length) {
    status.podIP = podIPs[0];
    status.podIPs = podIPs.map((ip) => ({ ip }));
  }
  status.containerStatuses = containerStatuses(inputs, pod.spec.containers, oldStatus.containerStatuses, false);
  status.initContainerStatuses = containerStatuses(inputs, pod.spec.initContainers ?? [], oldStatus.initContainerStatuses, true);
  if (!status.initContainerStatuses.length) delete status.initContainerStatuses;
  const all = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])];
  const initialized = pod.spec.containers.some((c) => {
    const r = latestRecord(runtime.containers, c.name);
    return !!r && (r.state === 'running' || r.state === 'exited' || r.state === 'created');
  });
  status.phase = podPhase(pod, all, inputs.podIsTerminal, initialized);

  if (status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    if (oldStatus.phase === 'Failed' || oldStatus.phase === 'Succeeded') status.phase = oldStatus.phase;
    else if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') status.phase = pod.status.phase;
  }
  if (status.phase === oldStatus.phase) {
    status.reason = oldStatus.reason || pod.status?.reason || undefined;
    status.message = oldStatus.message || pod.status?.message || undefined;
  }
  if ((pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') && status.phase !== pod.status.phase) status.phase = pod.status.phase;

  applyProbes(inputs, status);

  const conditions: Condition[] = [];
  for (const c of pod.status?.conditions ?? []) if (!kubeletConditions.has(c.type) && c.type !== 'DisruptionTarget') conditions.push(c);
  const disruption = oldStatus.conditions?.find((c) => c.type === 'DisruptionTarget') ?? pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  if (disruption) conditions.push(disruption);
  const initStatuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  conditions.push({ type: 'PodReadyToStartContainers', status: runtime.sandboxReady ? 'True' : 'False' });
  conditions.push(initializedCondition(pod, initStatuses, status.phase));
  conditions.push(readyCondition(pod, conditions, initStatuses, status.phase));
  conditions.push(containersReadyCondition(pod, initStatuses, status.phase));
  conditions.push({ type: 'PodScheduled', status: 'True' });
  status.conditions = conditions.map((c) => withTransitionTime(c, oldStatus.conditions ?? pod.status?.conditions ?? [], now));

  if (inputs.hostIPs.length) {
    status.hostIP = inputs.hostIPs[0];
    status.hostIPs = inputs.hostIPs.slice(0, 2).map((ip) => ({ ip }));
  }
  status.startTime = oldStatus.startTime ?? pod.status?.startTime ?? apiTime(now) ?? undefined;
  return status;
}

function withTransitionTime(c: Condition | PodCondition, old: readonly PodCondition[], now: Date): PodCondition {
  if ('lastTransitionTime' in c && !kubeletConditions.has(c.type)) return c as PodCondition;
  const prev = old.find((o) => o.type === c.type);
  const out: PodCondition = {
    type: c.type,
    status: c.status,
    lastProbeTime: null,
    lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : apiTime(now),
  };
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}
