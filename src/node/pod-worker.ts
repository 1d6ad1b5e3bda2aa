// One pod's lifecycle on this node, level-based as the kubelet's pod worker: sync to the spec, restart per policy, terminate gracefully.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../server/logger.ts';
import type { ContainerRuntime, ContainerStatus as RuntimeContainerStatus, PodSandbox } from './runtime/runtime.ts';
import { ContainerConfigError, type EnvSources } from './env/environment.ts';
import { readLog } from './logs/cri-log.ts';
import { computePodActions, type ContainerToKill, type KillReason } from './pod-worker-actions.ts';
import { Backoff, goDuration } from './pod-worker-backoff.ts';
import { containerConfig } from './pod-worker-config.ts';
import { ImageError, type ImageManager } from './pod-worker-images.ts';
import { formatPod, type Container, type Pod, type PodStatus, type VolumeMount } from './pod-worker-types.ts';
import { PodProbes, type ProbeRunner } from './probes/probe-manager.ts';
import { runHandler } from './probes/prober.ts';
import type { EventRecorder } from './status/events.ts';
import {
  apiTime,
  generatePodStatus,
  latestRecord,
  type ContainerRecord,
  type RuntimePodView,
} from './status/pod-status.ts';
import { podQOS } from './status/resources.ts';
import type { StatusManager } from './status/status-manager.ts';
import { hostsFile, podDNS, podHostnameAndDomain, resolvConfText, type DNSSettings } from './volumes/etc-files.ts';
import { serviceAccountMountPath, VolumeSetupError, type MountedVolume, type VolumeManager } from './volumes/volume-manager.ts';

export interface PodWorkerDeps {
  runtime: ContainerRuntime;
  images: ImageManager;
  volumes: VolumeManager;
  status: StatusManager;
  events: EventRecorder;
  env: EnvSources;
  dns: DNSSettings;
  /** The node's /etc/hosts, for hostNetwork pods. */
  nodeHosts(): string;
  hostIPs(): string[];
  memoryCapacity: number;
  crashBackoff: Backoff;
  /** /var/log/pods: `<ns>_<name>_<uid>/<container>/<attempt>.log`. */
  logsRoot: string;
  agentStartedAt: number;
  log: Logger;
  /** The worker finished its pod for good (containers, sandbox and volumes gone). */
  onFinished(uid: string): void;
  probeRunner?: ProbeRunner;
  /** Periodic resync while nothing happens (the kubelet's one minute). */
  resyncMs?: number;
  /** Retry delay after a failed sync (the kubelet's 10 s back-off period). */
  errorRetryMs?: number;
}

/** What the worker remembers about each container it created (the kubelet keeps this in CRI labels and annotations). */
interface ContainerMeta {
  name: string;
  attempt: number;
  init: boolean;
  image: string;
  imageID: string;
  logPath: string;
  specHash: string;
  terminationLog?: string;
  message?: string;
}

interface Checkpoint {
  sandboxId?: string;
  sandboxAttempts: number;
  containers: Record<string, ContainerMeta>;
}

const minimumGracePeriodSeconds = 2;
const maxTerminationMessageBytes = 4096;
const maxTerminationLogLines = 80;
const maxTerminationLogBytes = 2048;

export const containerHash = (c: Container): string => createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 16);

type State = 'active' | 'terminal' | 'terminating' | 'finished';

export class PodWorker {
  pod: Pod;
  readonly uid: string;
  readonly #d: PodWorkerDeps;
  #state: State = 'active';
  #deleted = false;
  #sandbox: PodSandbox | undefined;
  #checkpoint: Checkpoint = { sandboxAttempts: 0, containers: {} };
  #statuses = new Map<string, RuntimeContainerStatus>();
  readonly #startFailures = new Map<string, { reason: string; message: string }>();
  #probes: PodProbes | undefined;
  #mounted = new Map<string, MountedVolume>();
  /** Mounts of volumes the pod spec lacks but the agent adds (the service-account token). */
  #extraMounts: VolumeMount[] = [];
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #failure: { reason: string; message: string; gracePeriodSeconds?: number; disruption?: boolean } | undefined;
  #terminating: Promise<void> | undefined;
  #lastMountError = '';

  constructor(pod: Pod, deps: PodWorkerDeps) {
    this.pod = pod;
    this.uid = pod.metadata.uid;
    this.#d = deps;
  }

  get podDir(): string {
    return this.#d.volumes.podDir(this.uid);
  }

  get sandbox(): PodSandbox | undefined {
    return this.#sandbox;
  }

  get finished(): boolean {
    return this.#state === 'finished';
  }

  /** The pod's log directory under the logs root. */
  get logDir(): string {
    return join(this.#d.logsRoot, `${this.pod.metadata.namespace}_${this.pod.metadata.name}_${this.uid}`);
  }

  /** A newer version of the pod from the API. */
  update(pod: Pod): void {
    this.pod = pod;
    this.#d.status.observe(pod);
    this.requestSync();
  }

  /** The pod object is gone from the API (deleted, possibly without grace). */
  deleted(pod?: Pod): void {
    if (pod) this.pod = pod;
    this.#deleted = true;
    this.requestSync();
  }

  /**
   * Ends the pod as Failed with a reason (eviction, active deadline), recording the event, and kills its containers
   * with an optional grace period.
   */
  fail(reason: string, message: string, opts: { gracePeriodSeconds?: number; disruption?: boolean; eventType?: 'Normal' | 'Warning' } = {}): void {
    if (this.#failure) return;
    this.#failure = { reason, message, gracePeriodSeconds: opts.gracePeriodSeconds, disruption: opts.disruption };
    this.#event(undefined, opts.eventType ?? 'Warning', reason, message);
    this.requestSync();
  }

  /** Re-adopts what the runtime still has for this pod after an agent restart. */
  async adopt(sandboxes: PodSandbox[], containers: (RuntimeContainerStatus & { sandboxId: string })[]): Promise<void> {
    await this.#loadCheckpoint();
    const sb = sandboxes.find((s) => s.id === this.#checkpoint.sandboxId) ?? sandboxes.at(-1);
    this.#sandbox = sb;
    for (const c of containers) {
      this.#statuses.set(c.id, c);
      if (!this.#checkpoint.containers[c.id]) {
        const spec = [...this.pod.spec.containers, ...(this.pod.spec.initContainers ?? [])].find((x) => x.name === c.name);
        const init = !!this.pod.spec.initContainers?.some((x) => x.name === c.name);
        this.#checkpoint.containers[c.id] = {
          name: c.name,
          attempt: 0,
          init,
          image: spec?.image ?? '',
          imageID: '',
          logPath: '',
          specHash: spec ? containerHash(spec) : '',
        };
      }
    }
    for (const id of Object.keys(this.#checkpoint.containers)) if (!this.#statuses.has(id)) delete this.#checkpoint.containers[id];
    if (this.#sandbox) this.#checkpoint.sandboxId = this.#sandbox.id;
    await this.#saveCheckpoint();
  }

  requestSync(delayMs = 0): void {
    if (this.#state === 'finished') return;
    if (delayMs > 0) {
      this.#schedule(delayMs);
      return;
    }
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#syncOnce()
      .catch((e) => {
        this.#d.log.error('pod sync failed', { pod: formatPod(this.pod), error: String((e as Error)?.stack ?? e) });
        this.#schedule(this.#d.errorRetryMs ?? 10_000);
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.requestSync();
        }
      });
  }

  /** Resolves once no sync is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#state === 'finished') return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.requestSync();
    }, ms);
    this.#timer.unref?.();
  }

  // ---- runtime view -------------------------------------------------------------------------------------------

  /** The runtime's containers of this pod with what we know of them, newest attempt first per name. */
  records(): ContainerRecord[] {
    const out: ContainerRecord[] = [];
    for (const [id, st] of this.#statuses) {
      const meta = this.#checkpoint.containers[id];
      if (!meta) continue;
      let reason = st.reason;
      if (st.state === 'exited' && !reason) reason = st.exitCode === 0 ? 'Completed' : 'Error';
      out.push({
        id,
        name: meta.name,
        attempt: meta.attempt,
        state: st.state,
        createdAt: st.createdAt,
        startedAt: st.startedAt,
        finishedAt: st.finishedAt,
        exitCode: st.exitCode,
        reason,
        message: meta.message,
        image: meta.image,
        imageID: meta.imageID,
      });
    }
    return out;
  }

  /** Refreshes the states of our containers from the runtime; forgets the ones it no longer has. */
  async #refresh(): Promise<void> {
    for (const id of Object.keys(this.#checkpoint.containers)) {
      try {
        const st = await this.#d.runtime.containerStatus(id);
        const prev = this.#statuses.get(id);
        this.#statuses.set(id, st);
        if (st.state === 'exited' && prev?.state !== 'exited') await this.#readTerminationMessage(id, st);
      } catch {
        // A finished pod keeps its dead containers' records and logs (`kubectl logs` of a completed Job's pods)
        // after its sandbox is gone, as the kubelet keeps dead containers until the pod is deleted.
        if (this.#state === 'terminal' && this.#statuses.get(id)?.state === 'exited') continue;
        this.#statuses.delete(id);
        delete this.#checkpoint.containers[id];
      }
    }
  }

  async #readTerminationMessage(id: string, st: RuntimeContainerStatus): Promise<void> {
    const meta = this.#checkpoint.containers[id];
    if (!meta || meta.message !== undefined) return;
    const spec = this.#containerSpec(meta.name);
    let message = '';
    if (meta.terminationLog) {
      try {
        const fh = await open(meta.terminationLog, 'r');
        const buf = Buffer.alloc(maxTerminationMessageBytes);
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        await fh.close();
        message = buf.subarray(0, bytesRead).toString('utf8');
      } catch {
        message = '';
      }
    }
    if (!message && spec?.terminationMessagePolicy === 'FallbackToLogsOnError' && (st.exitCode ?? 0) !== 0 && meta.logPath) {
      const chunks: Buffer[] = [];
      for await (const c of readLog(meta.logPath, { tailLines: maxTerminationLogLines })) chunks.push(c as Buffer);
      const all = Buffer.concat(chunks);
      message = all.subarray(Math.max(0, all.length - maxTerminationLogBytes)).toString('utf8');
    }
    meta.message = message;
  }

  #containerSpec(name: string): Container | undefined {
    return this.pod.spec.containers.find((c) => c.name === name) ?? this.pod.spec.initContainers?.find((c) => c.name === name);
  }

  #view(): RuntimePodView {
    return {
      sandboxReady: !!this.#sandbox,
      podIPs: this.#sandbox && !this.pod.spec.hostNetwork ? [this.#sandbox.ip] : [],
      containers: this.records(),
    };
  }

  /** The pod IP probes and hooks reach: the sandbox's, or the node's for hostNetwork pods. */
  podIP(): string {
    if (this.pod.spec.hostNetwork) return this.#d.hostIPs()[0] ?? '127.0.0.1';
    return this.#sandbox?.ip ?? '';
  }

  // ---- status -------------------------------------------------------------------------------------------------

  #generate(podIsTerminal: boolean): PodStatus {
    const oldStatus = this.#d.status.get(this.uid) ?? this.pod.status ?? {};
    const status = generatePodStatus({
      pod: this.pod,
      oldStatus,
      runtime: this.#view(),
      startFailures: this.#startFailures,
      probes: {
        started: (name, id) => this.#probes?.started(name, id) ?? true,
        ready: (name, id) => (this.#state === 'active' ? (this.#probes?.ready(name, id) ?? true) : false),
      },
      hostIPs: this.#d.hostIPs(),
      podIsTerminal,
    });
    if (this.#failure) {
      status.phase = 'Failed';
      status.reason = this.#failure.reason;
      status.message = this.#failure.message;
      if (this.#failure.disruption && !status.conditions?.some((c) => c.type === 'DisruptionTarget')) {
        status.conditions = [
          ...(status.conditions ?? []),
          { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: apiTime(new Date()), reason: 'TerminationByKubelet', message: this.#failure.message },
        ];
      }
      for (const c of status.conditions ?? []) {
        if ((c.type === 'Ready' || c.type === 'ContainersReady') && c.status === 'True') {
          c.status = 'False';
          c.reason = 'PodFailed';
          c.lastTransitionTime = apiTime(new Date());
        }
      }
    }
    return status;
  }

  #publish(podIsTerminal = false): PodStatus {
    const status = this.#generate(podIsTerminal);
    if (!this.#deleted) this.#d.status.set(this.pod, status);
    return status;
  }

  // ---- sync ---------------------------------------------------------------------------------------------------

  async #syncOnce(): Promise<void> {
    if (this.#state === 'finished') return;
    await this.#refresh();
    const pod = this.pod;
    if (this.#deleted || pod.metadata.deletionTimestamp || this.#failure || this.#state === 'terminating') {
      await this.#terminate();
      return;
    }
    if (this.#state === 'terminal') return;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      await this.#toTerminal(false);
      return;
    }
    const deadline = pod.spec.activeDeadlineSeconds;
    const startTime = this.#d.status.get(this.uid)?.startTime ?? pod.status?.startTime;
    if (deadline !== undefined && startTime && Date.now() - Date.parse(startTime) >= deadline * 1000) {
      this.fail('DeadlineExceeded', 'Pod was active on the node longer than the specified deadline', { eventType: 'Normal' });
      return;
    }

    this.#probes ??= new PodProbes(() => this.pod, this.#probeHost(), this.#d.agentStartedAt, this.#d.probeRunner);
    const status = this.#publish(false);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      await this.#toTerminal(true);
      return;
    }

    try {
      const volumes = await this.#d.volumes.volumesOf(pod);
      this.#mounted = await this.#d.volumes.setUp(pod, volumes);
      const declared = new Set((pod.spec.volumes ?? []).map((v) => v.name));
      this.#extraMounts = volumes.filter((v) => !declared.has(v.name)).map((v) => ({ name: v.name, mountPath: serviceAccountMountPath, readOnly: true }));
      this.#lastMountError = '';
    } catch (e) {
      if (!(e instanceof VolumeSetupError)) throw e;
      const message = `MountVolume.SetUp failed for volume "${e.volume}" : ${e.message}`;
      this.#event(undefined, 'Warning', 'FailedMount', message);
      this.#lastMountError = message;
      this.#schedule(2_000);
      return;
    }

    const records = this.records();
    const actions = computePodActions({
      pod,
      sandboxReady: !!this.#sandbox,
      sandboxAttempts: this.#checkpoint.sandboxAttempts,
      records,
      specHash: (r) => this.#checkpoint.containers[r.id]?.specHash || undefined,
      hashOf: containerHash,
      liveness: (name, id) => this.#probes?.result(name, 'Liveness', id),
      startup: (name, id) => this.#probes?.result(name, 'Startup', id),
    });

    if (actions.killPod) {
      await this.#killAll(undefined);
      if (this.#sandbox) await this.#stopSandbox();
      if (actions.createSandbox) await this.#purgeInitContainers();
    } else {
      for (const k of actions.containersToKill) await this.#killContainer(k.record.id, k.container, k.message, k.reason);
    }
    await this.#pruneInitContainers();

    if (actions.createSandbox) {
      try {
        await this.#createSandbox();
      } catch (e) {
        this.#event(undefined, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(e as Error).message}`);
        this.#publish(false);
        this.#schedule(this.#d.errorRetryMs ?? 10_000);
        return;
      }
    }

    let nextSyncMs = this.#d.resyncMs ?? 60_000;
    const retryIn = (ms: number) => (nextSyncMs = Math.max(100, Math.min(nextSyncMs, ms)));
    if (deadline !== undefined && startTime) retryIn(Date.parse(startTime) + deadline * 1000 - Date.now() + 50);
    if (this.#sandbox) {
      for (const idx of actions.initContainersToStart) {
        const c = this.pod.spec.initContainers![idx];
        const r = await this.#start(c, true);
        if (r !== undefined) {
          retryIn(r);
          if (c.restartPolicy !== 'Always') break;
        }
      }
      for (const idx of actions.containersToStart) {
        const r = await this.#start(this.pod.spec.containers[idx], false);
        if (r !== undefined) retryIn(r);
      }
    }
    await this.#refresh();
    await this.#saveCheckpoint();
    const after = this.#publish(false);
    if (after.phase === 'Succeeded' || after.phase === 'Failed') {
      await this.#toTerminal(true);
      return;
    }
    this.#schedule(nextSyncMs);
  }

  async #createSandbox(): Promise<void> {
    const pod = this.pod;
    const { hostname } = podHostnameAndDomain(pod, this.#d.dns.clusterDomain);
    const resolv = resolvConfText(podDNS(pod, this.#d.dns, (w) => this.#event(undefined, 'Warning', w.reason, w.message)));
    const ports = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]
      .flatMap((c) => c.ports ?? [])
      .filter((p) => p.hostPort)
      .map((p) => ({ containerPort: p.containerPort, hostPort: p.hostPort!, protocol: p.protocol ?? 'TCP', ...(p.hostIP ? { hostIP: p.hostIP } : {}) }));
    await mkdir(this.podDir, { recursive: true, mode: 0o750 });
    this.#sandbox = await this.#d.runtime.runPodSandbox({
      podUid: this.uid,
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      hostname,
      hostNetwork: pod.spec.hostNetwork === true,
      portMappings: ports,
      etcFiles: { hosts: hostsFile(pod, [], this.#d.dns.clusterDomain, this.#d.nodeHosts()), resolvConf: resolv },
      qosClass: podQOS(pod.spec),
    });
    this.#checkpoint.sandboxAttempts++;
    this.#checkpoint.sandboxId = this.#sandbox.id;
    const ips = pod.spec.hostNetwork ? [] : [this.#sandbox.ip];
    await writeFile(this.#etcHostsPath(), hostsFile(pod, ips, this.#d.dns.clusterDomain, this.#d.nodeHosts()), { mode: 0o644 });
    await this.#saveCheckpoint();
  }

  #etcHostsPath(): string {
    return join(this.podDir, 'etc-hosts');
  }

  async #stopSandbox(): Promise<void> {
    const sb = this.#sandbox;
    if (!sb) return;
    this.#sandbox = undefined;
    await this.#d.runtime.stopPodSandbox(sb.id).catch((e) => this.#d.log.error('stop sandbox failed', { pod: formatPod(this.pod), error: String(e) }));
    await this.#d.runtime.removePodSandbox(sb.id).catch(() => undefined);
    await this.#refresh();
  }

  /** SyncPod's start(): crash-loop back-off, image, config, create, start, postStart. Returns a retry delay on failure. */
  async #start(c: Container, init: boolean): Promise<number | undefined> {
    const pod = this.pod;
    const records = this.records();
    const latest = latestRecord(records, c.name);
    const key = `${pod.metadata.name}_${pod.metadata.namespace}_${this.uid}_${c.name}`;
    if (latest?.state === 'exited') {
      const finished = Date.parse(latest.finishedAt ?? '') || Date.now();
      const b = this.#d.crashBackoff;
      if (b.isInBackOffSince(key, finished)) {
        this.#event(c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${formatPod(pod)}`);
        const message = `back-off ${goDuration(b.get(key))} restarting failed container=${c.name} pod=${formatPod(pod)}`;
        this.#startFailures.set(c.name, { reason: 'CrashLoopBackOff', message });
        return Math.max(100, finished + b.get(key) - b.clock.now() + 50);
      }
      b.next(key, finished);
    }

    const fail = (reason: string, message: string, retryMs = this.#d.errorRetryMs ?? 10_000): number => {
      this.#startFailures.set(c.name, { reason, message });
      return retryMs;
    };

    let image;
    try {
      image = await this.#d.images.ensure(pod, c, (cc, type, reason, message) => this.#event(cc, type, reason, message));
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
      this.#event(c, 'Warning', 'Failed', `Error: ${e.reason}`);
      const retry = this.#d.images.retryAt(pod, c);
      return fail(e.reason, e.message, e.reason === 'ErrImagePull' || e.reason === 'ImagePullBackOff' ? Math.max(1000, (retry ?? Date.now() + 10_000) - Date.now()) : undefined);
    }

    const attempt = latest ? latest.attempt + 1 : await this.#attemptFromLogs(c.name);
    const logPath = join(this.logDir, c.name, `${attempt}.log`);
    let terminationLog: string | undefined;
    if (c.terminationMessagePath) {
      const dir = join(this.podDir, 'containers', c.name);
      await mkdir(dir, { recursive: true, mode: 0o750 });
      terminationLog = join(dir, randomBytes(4).toString('hex'));
      await writeFile(terminationLog, '', { mode: 0o666 });
    }
    let config;
    try {
      await mkdir(join(this.logDir, c.name), { recursive: true, mode: 0o755 });
      config = await containerConfig({
        pod,
        container: c,
        image: image.spec,
        env: { ...this.#d.env, podIPs: this.#sandbox && !pod.spec.hostNetwork ? [this.#sandbox.ip] : this.#d.hostIPs().slice(0, 1), hostIPs: this.#d.hostIPs() },
        volumes: this.#mounted,
        etcHostsPath: this.#sandbox ? this.#etcHostsPath() : undefined,
        terminationLogPath: terminationLog,
        hostname: podHostnameAndDomain(pod, this.#d.dns.clusterDomain).hostname,
        logPath,
        memoryCapacity: this.#d.memoryCapacity,
        extraMounts: this.#extraMounts,
      });
    } catch (e) {
      if (!(e instanceof ContainerConfigError)) throw e;
      this.#event(c, 'Warning', 'Failed', `Error: ${e.message}`);
      return fail('CreateContainerConfigError', e.message);
    }

    let id: string;
    try {
      id = await this.#d.runtime.createContainer(this.#sandbox!, config);
    } catch (e) {
      const message = (e as Error).message;
      this.#event(c, 'Warning', 'Failed', `Error: ${message}`);
      return fail('CreateContainerError', message);
    }
    this.#checkpoint.containers[id] = { name: c.name, attempt, init, image: image.image, imageID: image.imageID, logPath, specHash: containerHash(c), terminationLog };
    this.#statuses.set(id, { id, name: c.name, state: 'created', createdAt: new Date().toISOString() });
    await this.#saveCheckpoint();
    this.#event(c, 'Normal', 'Created', `Created container: ${c.name}`);
    try {
      await this.#d.runtime.startContainer(id);
    } catch (e) {
      const message = (e as Error).message.replaceAll(id, c.name);
      this.#event(c, 'Warning', 'Failed', `Error: ${message}`);
      await this.#refresh();
      return fail('RunContainerError', message);
    }
    this.#event(c, 'Normal', 'Started', `Started container ${c.name}`);
    this.#startFailures.delete(c.name);
    await this.#refresh();
    this.#probes?.triggerAll();

    if (c.lifecycle?.postStart) {
      const outcome = await runHandler(c.lifecycle.postStart, { podIP: this.podIP(), container: c, containerID: id, runtime: this.#d.runtime }, 30_000);
      if (outcome.result === 'failure' || outcome.result === 'unknown') {
        this.#event(c, 'Warning', 'FailedPostStartHook', 'PostStartHook failed');
        await this.#killContainer(id, c, 'FailedPostStartHook', 'FailedPostStartHook');
        return fail('PostStartHookError', outcome.output);
      }
    }
    await this.#gcContainers(c.name);
    return undefined;
  }

  /** calcRestartCountByLogDir: a container with no runtime history continues after its highest log file. */
  async #attemptFromLogs(name: string): Promise<number> {
    try {
      const { readdir } = await import('node:fs/promises');
      let max = 0;
      for (const f of await readdir(join(this.logDir, name))) {
        const m = /^(\d+)\.log/.exec(f);
        if (m) max = Math.max(max, Number(m[1]) + 1);
      }
      return max;
    } catch {
      return 0;
    }
  }

  /** Keeps the running container and the latest exited one per name (for lastState and `logs --previous`). */
  async #gcContainers(name: string): Promise<void> {
    const mine = this.records()
      .filter((r) => r.name === name)
      .sort((a, b) => b.attempt - a.attempt);
    for (const r of mine.slice(2)) if (r.state !== 'running') await this.#removeContainer(r.id);
  }

  async #removeContainer(id: string): Promise<void> {
    const meta = this.#checkpoint.containers[id];
    await this.#d.runtime.removeContainer(id).catch(() => undefined);
    if (meta?.logPath) await rm(meta.logPath, { force: true });
    if (meta?.terminationLog) await rm(meta.terminationLog, { force: true });
    delete this.#checkpoint.containers[id];
    this.#statuses.delete(id);
  }

  /** pruneInitContainersBeforeStart: only the latest exited run of each init container stays. */
  async #pruneInitContainers(): Promise<void> {
    for (const ic of this.pod.spec.initContainers ?? []) {
      const exited = this.records()
        .filter((r) => r.name === ic.name && (r.state === 'exited' || r.state === 'unknown'))
        .sort((a, b) => b.attempt - a.attempt);
      for (const r of exited.slice(1)) await this.#removeContainer(r.id);
    }
  }

  async #purgeInitContainers(): Promise<void> {
    const names = new Set((this.pod.spec.initContainers ?? []).map((c) => c.name));
    for (const r of this.records()) if (names.has(r.name)) await this.#removeContainer(r.id);
  }

  /** setTerminationGracePeriod: the deletion's grace, a probe's own, or the pod's. */
  #gracePeriod(c: Container | undefined, reason: KillReason): number {
    if (this.pod.metadata.deletionGracePeriodSeconds !== undefined) return this.pod.metadata.deletionGracePeriodSeconds;
    if (this.pod.spec.terminationGracePeriodSeconds !== undefined) {
      if (reason === 'StartupProbe' && c?.startupProbe?.terminationGracePeriodSeconds !== undefined) return c.startupProbe.terminationGracePeriodSeconds;
      if (reason === 'LivenessProbe' && c?.livenessProbe?.terminationGracePeriodSeconds !== undefined) return c.livenessProbe.terminationGracePeriodSeconds;
      return this.pod.spec.terminationGracePeriodSeconds;
    }
    return minimumGracePeriodSeconds;
  }

  /** killContainer: Killing event, preStop within the grace period, then SIGTERM and SIGKILL after what remains (at least 2 s). */
  async #killContainer(id: string, c: Container | undefined, message: string, reason: KillReason, graceOverride?: number, graceCap?: number): Promise<void> {
    const name = c?.name ?? this.#checkpoint.containers[id]?.name ?? id;
    let grace = this.#gracePeriod(c, reason);
    this.#event(c ? c : { name }, 'Normal', 'Killing', message || `Stopping container ${name}`);
    if (graceOverride !== undefined) grace = graceOverride;
    if (graceCap !== undefined) grace = Math.min(grace, graceCap);
    if (c?.lifecycle?.preStop && grace > 0) {
      const start = Date.now();
      const hook = runHandler(c.lifecycle.preStop, { podIP: this.podIP(), container: c, containerID: id, runtime: this.#d.runtime }, grace * 1000).then((o) => {
        if (o.result === 'failure' || o.result === 'unknown') this.#event(c, 'Warning', 'FailedPreStopHook', 'PreStopHook failed');
      });
      let t: NodeJS.Timeout | undefined;
      await Promise.race([hook, new Promise((r) => (t = setTimeout(r, grace * 1000)))]);
      clearTimeout(t);
      grace -= Math.floor((Date.now() - start) / 1000);
    }
    if (grace < minimumGracePeriodSeconds) grace = minimumGracePeriodSeconds;
    try {
      await this.#d.runtime.stopContainer(id, grace);
    } catch (e) {
      this.#d.log.debug('stop container failed', { pod: formatPod(this.pod), container: name, error: String(e) });
    }
    try {
      this.#statuses.set(id, await this.#d.runtime.containerStatus(id));
    } catch {
      // Gone already.
    }
  }

  async #killAll(graceOverride: number | undefined, graceCap?: number): Promise<void> {
    const running = this.records().filter((r) => r.state === 'running' || r.state === 'created' || r.state === 'unknown');
    await Promise.all(running.map((r) => this.#killContainer(r.id, this.#containerSpec(r.name), '', 'Unknown', graceOverride, graceCap)));
  }

  /** A pod that reached Succeeded or Failed: stop what still runs, release the sandbox and volumes, keep logs. */
  async #toTerminal(podIsTerminal: boolean): Promise<void> {
    this.#state = 'terminal';
    this.#probes?.stop();
    await this.#killAll(undefined);
    await this.#stopSandbox();
    await this.#refresh();
    await this.#saveCheckpoint();
    this.#publish(podIsTerminal);
  }

  /** Graceful termination (deletion, eviction): kill containers with their grace, stop the sandbox, report, then clean up. */
  async #terminate(): Promise<void> {
    this.#terminating ??= this.#stopAll();
    await this.#terminating;
    if (!this.#deleted && this.pod.metadata.deletionTimestamp) {
      await this.#d.status.deletePod(this.pod).catch((e) => this.#d.log.error('pod delete failed', { pod: formatPod(this.pod), error: String(e) }));
      this.#deleted = true;
    }
    if (this.#deleted) {
      if (this.#state !== 'finished') await this.#cleanup();
    } else if (this.#state !== 'finished') {
      this.#state = 'terminal';
      await this.#saveCheckpoint();
    }
  }

  async #stopAll(): Promise<void> {
    this.#state = 'terminating';
    this.#probes?.stop();
    if (this.#failure && !this.#deleted) this.#publish(true);
    await this.#killAll(this.#failure?.gracePeriodSeconds);
    await this.#stopSandbox();
    await this.#refresh();
    if (!this.#deleted) {
      this.#publish(true);
      await this.#d.status.flush();
    }
  }

  /** Removes everything the pod left on the node once its object is gone. */
  async #cleanup(): Promise<void> {
    for (const id of Object.keys(this.#checkpoint.containers)) await this.#removeContainer(id);
    await this.#d.volumes.tearDown(this.uid).catch((e) => this.#d.log.error('volume teardown failed', { pod: formatPod(this.pod), error: String(e) }));
    await rm(this.logDir, { recursive: true, force: true });
    this.#d.status.forget(this.uid);
    this.#state = 'finished';
    clearTimeout(this.#timer);
    this.#d.onFinished(this.uid);
  }

  /**
   * Agent shutdown: stop the containers with their grace periods, at most `graceCap` seconds (the kubelet's graceful
   * node shutdown period); the pod object and the checkpoint stay for the next start.
   */
  async shutdown(graceCap?: number): Promise<void> {
    clearTimeout(this.#timer);
    this.#probes?.stop();
    await this.idle();
    this.#state = 'finished';
    await this.#killAll(undefined, graceCap);
    await this.#saveCheckpoint().catch(() => undefined);
  }

  /** The pod is gone from the API while it was never started here, or the worker is dropped: stop timers. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#probes?.stop();
    this.#state = 'finished';
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  #event(c: { name: string } | undefined, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const init = !!c && !!this.pod.spec.initContainers?.some((x) => x.name === c.name) && !this.pod.spec.containers.some((x) => x.name === c.name);
    this.#d.events.event({ pod: this.pod, container: c ? { name: c.name, init } : undefined }, type, reason, message);
  }

  #probeHost() {
    return {
      container: (name: string) => {
        const r = latestRecord(this.records(), name);
        if (!r) return undefined;
        const st = this.#d.status.get(this.uid);
        const cs = [...(st?.containerStatuses ?? []), ...(st?.initContainerStatuses ?? [])].find((s) => s.name === name);
        return {
          containerID: r.id,
          running: r.state === 'running',
          startedAt: r.startedAt ? Date.parse(r.startedAt) : undefined,
          terminated: r.state === 'exited',
          started: cs?.containerID === `dabba://${r.id}` ? cs.started === true : false,
        };
      },
      podIP: () => this.podIP(),
      podTerminal: () => this.#state !== 'active',
      runtime: this.#d.runtime,
      onResult: () => this.requestSync(),
      event: (c: Container, type: 'Warning', reason: string, message: string) => this.#event(c, type, reason, message),
    };
  }

  async #loadCheckpoint(): Promise<void> {
    try {
      this.#checkpoint = JSON.parse(await readFile(join(this.podDir, 'containers.json'), 'utf8')) as Checkpoint;
      this.#checkpoint.containers ??= {};
    } catch {
      this.#checkpoint = { sandboxAttempts: 0, containers: {} };
    }
  }

  async #saveCheckpoint(): Promise<void> {
    await mkdir(this.podDir, { recursive: true, mode: 0o750 });
    await writeFile(join(this.podDir, 'containers.json'), JSON.stringify(this.#checkpoint));
  }

  /** The mount error that keeps the pod waiting, if any (for tests and describe-like diagnostics). */
  get mountError(): string {
    return this.#lastMountError;
  }

  /** The log file to read for `kubectl logs`, following upstream's choice of current or previous container. */
  logFile(container: string, previous: boolean): { path: string; running: () => boolean } | { error: string } {
    const podName = this.pod.metadata.name;
    const st = this.#d.status.get(this.uid) ?? this.pod.status ?? {};
    const cs = [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? [])].find((s) => s.name === container);
    if (!cs) return { error: `container "${container}" in pod "${podName}" is not available` };
    const byId = (cid: string | undefined) => {
      const id = (cid ?? '').replace(/^[a-z]+:\/\//, '');
      const meta = this.#checkpoint.containers[id];
      if (!meta?.logPath) return undefined;
      return { path: meta.logPath, running: () => this.#statuses.get(id)?.state === 'running' };
    };
    const last = cs.lastState?.terminated;
    let target;
    if (previous) {
      if (!last?.containerID) return { error: `previous terminated container "${container}" in pod "${podName}" not found` };
      target = byId(last.containerID);
    } else if (cs.state.running) target = byId(cs.containerID);
    else if (cs.state.terminated) {
      target = byId(cs.state.terminated.containerID || last?.containerID);
      if (!target && !last?.containerID) return { error: `container "${container}" in pod "${podName}" is terminated` };
    } else if (last) {
      target = byId(last.containerID);
    } else if (cs.state.waiting) {
      const reason = cs.state.waiting.reason ?? '';
      if (reason === 'ErrImagePull') return { error: `container "${container}" in pod "${podName}" is waiting to start: image can't be pulled` };
      if (reason === 'ImagePullBackOff') return { error: `container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image` };
      return { error: `container "${container}" in pod "${podName}" is waiting to start: ${reason}` };
    }
    return target ?? { error: `container "${container}" in pod "${podName}" is waiting to start - no logs yet` };
  }

  /** The running container of that name, for exec and attach. */
  runningContainer(name: string): string | undefined {
    const r = latestRecord(this.records(), name);
    return r?.state === 'running' ? r.id : undefined;
  }
}

export type { ContainerToKill };
