// What one sync of a pod must do, as the kubelet's computePodActions decides it: sandbox, init containers, starts and kills.
import { isRestartableInitContainer, type Container, type Pod } from './pod-worker-types.ts';
import { latestRecord, shouldContainerBeRestarted, type ContainerRecord } from './status/pod-status.ts';

export type KillReason = 'StartupProbe' | 'LivenessProbe' | 'FailedPostStartHook' | 'Unknown' | '';
export type ProbeResultOf = (containerName: string, containerID: string) => 'Success' | 'Failure' | 'Unknown' | undefined;

export interface ContainerToKill {
  record: ContainerRecord;
  container: Container;
  message: string;
  reason: KillReason;
}

export interface PodActions {
  /** Stop every container and the sandbox (the sandbox is to be re-created, or nothing is left to run). */
  killPod: boolean;
  createSandbox: boolean;
  /** How many sandboxes the pod had before the one to create. */
  sandboxAttempt: number;
  initContainersToStart: number[];
  containersToStart: number[];
  containersToKill: ContainerToKill[];
}

export interface ActionInputs {
  pod: Pod;
  /** A ready sandbox exists. */
  sandboxReady: boolean;
  /** How many sandboxes were created for the pod so far. */
  sandboxAttempts: number;
  records: readonly ContainerRecord[];
  /** The spec hash each record was started with. */
  specHash: (record: ContainerRecord) => string | undefined;
  hashOf: (c: Container) => string;
  liveness: ProbeResultOf;
  startup: ProbeResultOf;
}

const shouldRestartOnFailure = (pod: Pod) => pod.spec.restartPolicy !== 'Never';

const isInitContainerFailed = (r: ContainerRecord) => (r.state === 'exited' && r.exitCode !== 0) || r.state === 'unknown';

function containerSucceeded(c: Container, records: readonly ContainerRecord[]): boolean {
  const r = latestRecord(records, c.name);
  return !!r && r.state === 'exited' && r.exitCode === 0;
}

/** findNextInitContainerToRun's "done" for the sandbox decision. */
function initDone(pod: Pod, records: readonly ContainerRecord[]): boolean {
  const inits = pod.spec.initContainers ?? [];
  if (!inits.length) return true;
  if (pod.spec.containers.some((c) => latestRecord(records, c.name)?.state === 'running')) return true;
  const last = latestRecord(records, inits[inits.length - 1].name);
  return !!last && last.state === 'exited' && last.exitCode === 0;
}

/** computeInitContainerActions: returns whether the pod has initialized. */
function initContainerActions(inp: ActionInputs, changes: PodActions): boolean {
  const { pod, records } = inp;
  const inits = pod.spec.initContainers ?? [];
  if (!inits.length) return true;
  let podHasInitialized = pod.spec.containers.some((c) => {
    const s = latestRecord(records, c.name)?.state;
    return s === 'created' || s === 'running';
  });
  let previouslyInitialized = podHasInitialized;
  const restartOnFailure = shouldRestartOnFailure(pod);
  for (let i = inits.length - 1; i >= 0; i--) {
    const c = inits[i];
    const r = latestRecord(records, c.name);
    if (!r) {
      if (previouslyInitialized && isRestartableInitContainer(c)) changes.initContainersToStart.push(i);
      continue;
    }
    if (previouslyInitialized && !isRestartableInitContainer(c)) continue;
    switch (r.state) {
      case 'created':
        changes.initContainersToStart.push(i);
        break;
      case 'running': {
        if (!isRestartableInitContainer(c)) break;
        if (c.startupProbe) {
          const startup = inp.startup(c.name, r.id);
          if (startup !== 'Success') {
            if (startup === 'Failure') {
              changes.containersToKill.push({ record: r, container: c, message: `Init container ${c.name} failed startup probe`, reason: 'StartupProbe' });
              changes.initContainersToStart.push(i);
            }
            break;
          }
        }
        if (i === inits.length - 1) podHasInitialized = true;
        else if (!previouslyInitialized) changes.initContainersToStart.push(i + 1);
        const hash = inp.specHash(r);
        if (hash !== undefined && hash !== inp.hashOf(c)) {
          changes.containersToKill.push({ record: r, container: c, message: `Init container ${c.name} definition changed`, reason: '' });
          changes.initContainersToStart.push(i);
          break;
        }
        if (c.livenessProbe && inp.liveness(c.name, r.id) === 'Failure') {
          changes.containersToKill.push({ record: r, container: c, message: `Init container ${c.name} failed liveness probe`, reason: 'LivenessProbe' });
          changes.initContainersToStart.push(i);
        }
        break;
      }
      case 'exited':
        if (isRestartableInitContainer(c)) changes.initContainersToStart.push(i);
        else if (isInitContainerFailed(r)) {
          if (!restartOnFailure) {
            changes.killPod = true;
            changes.initContainersToStart = [];
            return false;
          }
          changes.initContainersToStart.push(i);
        } else if (i === inits.length - 1) podHasInitialized = true;
        else changes.initContainersToStart.push(i + 1);
        break;
      default:
        if (!isRestartableInitContainer(c) && !restartOnFailure) {
          changes.killPod = true;
          changes.initContainersToStart = [];
          return false;
        }
        changes.containersToKill.push({ record: r, container: c, message: `Init container is in "${r.state}" state, try killing it before restart`, reason: 'Unknown' });
        changes.initContainersToStart.push(i);
    }
    previouslyInitialized = true;
  }
  if (!previouslyInitialized) changes.initContainersToStart.push(0);
  changes.initContainersToStart.reverse();
  return podHasInitialized;
}

/** kubeGenericRuntimeManager.computePodActions (SidecarContainers on, as in 1.33). */
export function computePodActions(inp: ActionInputs): PodActions {
  const { pod, records } = inp;
  const createSandbox = !inp.sandboxReady;
  const changes: PodActions = {
    killPod: createSandbox,
    createSandbox,
    sandboxAttempt: inp.sandboxAttempts,
    initContainersToStart: [],
    containersToStart: [],
    containersToKill: [],
  };
  if (createSandbox) {
    if (!shouldRestartOnFailure(pod) && inp.sandboxAttempts !== 0 && records.length !== 0) {
      changes.createSandbox = false;
      return changes;
    }
    const toStart: number[] = [];
    pod.spec.containers.forEach((c, i) => {
      if (pod.spec.restartPolicy === 'OnFailure' && containerSucceeded(c, records)) return;
      toStart.push(i);
    });
    if (!toStart.length && initDone(pod, records)) {
      changes.createSandbox = false;
      return changes;
    }
    if (pod.spec.initContainers?.length) {
      changes.initContainersToStart = [0];
      return changes;
    }
    changes.containersToStart = toStart;
    return changes;
  }

  const initialized = initContainerActions(inp, changes);
  if (changes.killPod || !initialized) return changes;

  let keepCount = 0;
  pod.spec.containers.forEach((c, idx) => {
    const r = latestRecord(records, c.name);
    if (!r || r.state !== 'running') {
      if (shouldContainerBeRestarted(c, pod, records)) {
        changes.containersToStart.push(idx);
        if (r && r.state === 'unknown') {
          changes.containersToKill.push({ record: r, container: c, message: `Container is in "${r.state}" state, try killing it before restart`, reason: 'Unknown' });
        }
      }
      return;
    }
    let message: string;
    let reason: KillReason = '';
    let restart = shouldRestartOnFailure(pod);
    const hash = inp.specHash(r);
    if (hash !== undefined && hash !== inp.hashOf(c)) {
      message = `Container ${c.name} definition changed`;
      restart = true;
    } else if (inp.liveness(c.name, r.id) === 'Failure') {
      message = `Container ${c.name} failed liveness probe`;
      reason = 'LivenessProbe';
    } else if (inp.startup(c.name, r.id) === 'Failure') {
      message = `Container ${c.name} failed startup probe`;
      reason = 'StartupProbe';
    } else {
      keepCount++;
      return;
    }
    if (restart) {
      message = `${message}, will be restarted`;
      changes.containersToStart.push(idx);
    }
    changes.containersToKill.push({ record: r, container: c, message, reason });
  });
  if (keepCount === 0 && changes.containersToStart.length === 0) {
    changes.killPod = true;
    changes.initContainersToStart = [];
  }
  return changes;
}
