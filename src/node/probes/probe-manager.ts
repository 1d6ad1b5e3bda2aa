// Liveness, readiness and startup probing of a pod's containers: one worker per probe with the kubelet's timing, thresholds and results.
import type { ContainerRuntime } from '../runtime/runtime.ts';
import type { Container, Pod, Probe } from '../pod-worker-types.ts';
import { runHandler, type ProbeOutcome, type ProbeTarget } from './prober.ts';

export type ProbeType = 'Liveness' | 'Readiness' | 'Startup';
export type Result = 'Success' | 'Failure' | 'Unknown';

/** What a worker needs to know about its container's current instance. */
export interface ContainerView {
  containerID: string;
  running: boolean;
  /** ms since the epoch. */
  startedAt?: number;
  terminated: boolean;
  started: boolean;
}

export interface PodProbeHost {
  /** The current instance of the named container, or undefined when there is none yet. */
  container(name: string): ContainerView | undefined;
  podIP(): string;
  /** The pod is terminal: workers stop. */
  podTerminal(): boolean;
  runtime: Pick<ContainerRuntime, 'exec'>;
  /** A probe's cached result changed (the pod worker re-syncs). */
  onResult(type: ProbeType, containerName: string, result: Result): void;
  /** An Unhealthy/ProbeWarning event about the container. */
  event(container: Container, type: 'Warning', reason: string, message: string): void;
}

export interface ProbeRunner {
  (probe: Probe, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome>;
}

const initialValue: Record<ProbeType, Result> = { Liveness: 'Success', Readiness: 'Failure', Startup: 'Unknown' };

/** The API server's defaults, applied again for probes that somehow lack them. */
function timings(p: Probe) {
  return {
    initialDelaySeconds: p.initialDelaySeconds ?? 0,
    periodSeconds: p.periodSeconds || 10,
    timeoutSeconds: p.timeoutSeconds || 1,
    successThreshold: p.successThreshold || 1,
    failureThreshold: p.failureThreshold || 3,
  };
}

class Worker {
  readonly type: ProbeType;
  readonly container: Container;
  readonly spec: Probe;
  readonly #host: PodProbeHost;
  readonly #run: ProbeRunner;
  readonly #pod: () => Pod;
  #timer: NodeJS.Timeout | undefined;
  #startTimer: NodeJS.Timeout | undefined;
  #running = false;
  #again = false;
  #stopped = false;
  containerID = '';
  result: Result | undefined;
  #lastResult: Result | undefined;
  #resultRun = 0;
  #onHold = false;

  constructor(type: ProbeType, container: Container, spec: Probe, host: PodProbeHost, run: ProbeRunner, pod: () => Pod) {
    this.type = type;
    this.container = container;
    this.spec = spec;
    this.#host = host;
    this.#run = run;
    this.#pod = pod;
  }

  start(jitterMs: number): void {
    const period = timings(this.spec).periodSeconds * 1000;
    const begin = () => {
      this.trigger();
      this.#timer = setInterval(() => this.trigger(), period);
    };
    if (jitterMs > 0) this.#startTimer = setTimeout(begin, jitterMs);
    else begin();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#startTimer);
  }

  /** Runs a probe now (a tick, or the kubelet's manual trigger when readiness is unknown). */
  trigger(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void this.#doProbe()
      .then((keepGoing) => {
        if (!keepGoing) this.stop();
      })
      .finally(() => {
        this.#running = false;
        if (this.#again) {
          this.#again = false;
          this.trigger();
        }
      });
  }

  #set(result: Result): void {
    const changed = this.result !== result;
    this.result = result;
    if (changed) this.#host.onResult(this.type, this.container.name, result);
  }

  /** worker.doProbe: returns whether to keep probing. */
  async #doProbe(): Promise<boolean> {
    if (this.#host.podTerminal()) return false;
    const c = this.#host.container(this.container.name);
    if (!c || !c.containerID) return true;
    if (this.containerID !== c.containerID) {
      this.containerID = c.containerID;
      this.result = undefined;
      this.#set(initialValue[this.type]);
      this.#onHold = false;
      this.#lastResult = undefined;
      this.#resultRun = 0;
    }
    if (this.#onHold) return true;
    if (!c.running) {
      this.#set('Failure');
      // Stop for good when the container will not be restarted.
      return !c.terminated || this.#pod().spec.restartPolicy !== 'Never';
    }
    if (this.#pod().metadata.deletionTimestamp && (this.type === 'Liveness' || this.type === 'Startup')) {
      this.#set('Success');
      return false;
    }
    const t = timings(this.spec);
    if (Math.trunc((Date.now() - (c.startedAt ?? Date.now())) / 1000) < t.initialDelaySeconds) return true;
    if (c.started) {
      if (this.type === 'Startup') return true;
    } else if (this.type !== 'Startup') return true;

    const outcome = await this.#run(this.spec, { podIP: this.#host.podIP(), container: this.container, containerID: c.containerID, runtime: this.#host.runtime }, t.timeoutSeconds * 1000);
    if (this.#stopped || this.containerID !== c.containerID) return !this.#stopped;
    let result: Result;
    switch (outcome.result) {
      case 'success':
        result = 'Success';
        break;
      case 'warning':
        this.#host.event(this.container, 'Warning', 'ProbeWarning', `${this.type} probe warning: ${outcome.output}`);
        result = 'Success';
        break;
      case 'failure':
        this.#host.event(this.container, 'Warning', 'Unhealthy', `${this.type} probe failed: ${outcome.output}`);
        result = 'Failure';
        break;
      default:
        this.#host.event(this.container, 'Warning', 'Unhealthy', `${this.type} probe errored and resulted in unknown state: ${outcome.output}`);
        result = 'Failure';
    }
    if (this.#lastResult === result) this.#resultRun++;
    else {
      this.#lastResult = result;
      this.#resultRun = 1;
    }
    if ((result === 'Failure' && this.#resultRun < t.failureThreshold) || (result === 'Success' && this.#resultRun < t.successThreshold)) return true;
    this.#set(result);
    if ((this.type === 'Liveness' || this.type === 'Startup') && result === 'Failure') {
      // Hold until the container is replaced, as the kubelet does.
      this.#onHold = true;
      this.#resultRun = 0;
    }
    return true;
  }
}

/** The probes of one pod. */
export class PodProbes {
  readonly #workers: Worker[] = [];
  readonly #host: PodProbeHost;

  /** `agentStartedAt`: workers of a recently started agent wait a random part of their period, so probes do not all fire at once. */
  constructor(pod: () => Pod, host: PodProbeHost, agentStartedAt: number, run: ProbeRunner = (p, t, ms) => runHandler(p, t, ms)) {
    this.#host = host;
    const spec = pod().spec;
    for (const c of [...spec.containers, ...(spec.initContainers ?? []).filter((i) => i.restartPolicy === 'Always')]) {
      for (const [type, probe] of [
        ['Startup', c.startupProbe],
        ['Liveness', c.livenessProbe],
        ['Readiness', c.readinessProbe],
      ] as const) {
        if (probe) this.#workers.push(new Worker(type, c, probe, host, run, pod));
      }
    }
    const sinceStart = Date.now() - agentStartedAt;
    for (const w of this.#workers) {
      const period = timings(w.spec).periodSeconds * 1000;
      w.start(period > sinceStart ? Math.random() * period : 0);
    }
  }

  #worker(name: string, type: ProbeType): Worker | undefined {
    return this.#workers.find((w) => w.container.name === name && w.type === type);
  }

  /** The cached result for the container instance, if its worker has one. */
  result(name: string, type: ProbeType, containerID: string): Result | undefined {
    const w = this.#worker(name, type);
    return w && w.containerID === containerID ? w.result : undefined;
  }

  /** Started: the startup probe succeeded, or there is none. */
  started(name: string, containerID: string): boolean {
    const w = this.#worker(name, 'Startup');
    if (!w) return true;
    return w.containerID === containerID && w.result === 'Success';
  }

  /** Ready: the readiness probe succeeded, or there is none; an unknown result triggers a probe at once. */
  ready(name: string, containerID: string): boolean {
    const w = this.#worker(name, 'Readiness');
    if (!w) return true;
    if (w.containerID === containerID && w.result !== undefined) return w.result === 'Success';
    queueMicrotask(() => w.trigger());
    return false;
  }

  /** Asks every worker to look again (after a container started). */
  triggerAll(): void {
    for (const w of this.#workers) w.trigger();
  }

  stop(): void {
    for (const w of this.#workers) w.stop();
  }
}
