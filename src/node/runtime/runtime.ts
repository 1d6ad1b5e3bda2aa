// The container runtime contract the node agent uses (CRI-shaped): pod sandboxes, containers, exec, logs and stats.
import type { Duplex, Readable, Writable } from 'node:stream';

/** What a pod's sandbox needs: its identity, networking and the cgroup that holds its containers. */
export interface PodSandboxConfig {
  /** The pod's metadata.uid; sandbox ids are derived from it so a restarted agent can find them again. */
  podUid: string;
  name: string;
  namespace: string;
  hostname: string;
  /** spec.hostNetwork: share the node's network namespace. */
  hostNetwork: boolean;
  portMappings: { containerPort: number; hostPort: number; protocol: 'TCP' | 'UDP' | 'SCTP'; hostIP?: string }[];
  /** Files written for every container of the pod (mounted read-only at these paths): /etc/hosts, /etc/resolv.conf. */
  etcFiles: { hosts: string; resolvConf: string };
  /** Pod-level cgroup limits (sum of containers), when the QoS class has them. */
  qosClass: 'Guaranteed' | 'Burstable' | 'BestEffort';
}

export interface PodSandbox {
  id: string;
  podUid: string;
  /** The pod IP (the node's address for hostNetwork pods). */
  ip: string;
  netnsPath?: string;
}

/** A resolved image: a root filesystem plus the defaults a container starts with. */
export interface ImageSpec {
  /** The name as the pod spec gives it (`python:3.11`). */
  ref: string;
  /** Host directory used as the (read-only) root filesystem; `/` for images backed by host binaries. */
  rootfs: string;
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  env: Record<string, string>;
  /** The uid the image runs as when the pod does not say (0 = root; runAsNonRoot needs it). */
  user: number;
  /** Host files the image brings along (a registered project's directory, the node binary), mounted before the pod's volumes. */
  mounts?: Mount[];
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readOnly: boolean;
  /** For emptyDir medium Memory / projected files: a tmpfs of this size (bytes) instead of a bind. */
  tmpfsBytes?: number;
}

export interface ContainerResources {
  /** cgroup v1 cpu.shares / v2 cpu.weight derived from requests.cpu (2 when unset, as the kubelet). */
  cpuShares: number;
  /** CFS quota/period from limits.cpu (quota undefined = unlimited). */
  cpuQuotaUs?: number;
  cpuPeriodUs: number;
  /** limits.memory in bytes (undefined = unlimited). */
  memoryLimitBytes?: number;
  /** OOM score adjustment for the QoS class (Guaranteed -997, BestEffort 1000, Burstable computed). */
  oomScoreAdj: number;
}

export interface SecuritySettings {
  runAsUser?: number;
  runAsGroup?: number;
  supplementalGroups: number[];
  readOnlyRootFilesystem: boolean;
  allowPrivilegeEscalation: boolean;
  privileged: boolean;
  capabilitiesAdd: string[];
  capabilitiesDrop: string[];
}

export interface ContainerConfig {
  name: string;
  image: ImageSpec;
  /** argv after Kubernetes' command/args rules and $(VAR) expansion. */
  argv: string[];
  env: [string, string][];
  workingDir: string;
  mounts: Mount[];
  resources: ContainerResources;
  security: SecuritySettings;
  /** A terminal for the container's main process (stderr then comes through it, on stdout). */
  tty: boolean;
  /** Keep the container's stdin open for attached clients (otherwise it reads /dev/null). */
  stdin: boolean;
  /** Close the container's stdin when the first client attached to it is done. */
  stdinOnce: boolean;
  /** Where the runtime writes the container's log in the CRI log format (`<RFC3339Nano> stdout|stderr F <line>`). */
  logPath: string;
}

export type ContainerStateName = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerStatus {
  id: string;
  name: string;
  state: ContainerStateName;
  pid?: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** 'OOMKilled' when the cgroup's memory limit killed it, 'Error'/'Completed' otherwise (as the kubelet reports). */
  reason?: string;
}

export interface ContainerStats {
  /** Cumulative CPU time in nanoseconds. */
  cpuUsageNanos: number;
  memoryWorkingSetBytes: number;
  timestamp: string;
}

/** A running exec/attach session: stdio streams, terminal resize and the exit code (0 for an attach that ended). */
export interface ExecSession {
  stdin?: Writable;
  stdout: Readable;
  stderr?: Readable;
  resize(width: number, height: number): void;
  exit: Promise<number>;
  kill(): void;
}

export interface ExecOptions {
  stdin: boolean;
  tty: boolean;
  /**
   * For an exec with a terminal: the client's terminal size, known once its first resize message arrived (undefined
   * when none came). The runtime starts the process with its terminal already that size (OCI consoleSize), so a
   * command that asks at once (`stty size`, a full-screen program) does not see a terminal without a size.
   */
  terminalSize?: Promise<TerminalSize | undefined>;
}

export interface TerminalSize {
  width: number;
  height: number;
}

export interface ContainerRuntime {
  readonly name: 'isolated' | 'host';
  /** Prepares host state (bridge, routes for the pod and service CIDRs, nft table) and sweeps a crashed run's leftovers. */
  init(): Promise<void>;
  runPodSandbox(config: PodSandboxConfig): Promise<PodSandbox>;
  stopPodSandbox(id: string): Promise<void>;
  removePodSandbox(id: string): Promise<void>;
  createContainer(sandbox: PodSandbox, config: ContainerConfig): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceSeconds`. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  containerStatus(id: string): Promise<ContainerStatus>;
  /** Sandboxes and containers that exist now (after a restart of the agent, to re-adopt them). */
  list(): Promise<{ sandboxes: PodSandbox[]; containers: (ContainerStatus & { sandboxId: string })[] }>;
  exec(id: string, argv: string[], options: ExecOptions): Promise<ExecSession>;
  /**
   * Attaches to the running container's main process: its output from now on and, with `options.stdin`, its stdin.
   * The container's own tty and stdinOnce decide how the session behaves (the request's tty does not).
   */
  attach(id: string, options: ExecOptions): Promise<ExecSession>;
  /** A bidirectional stream to `port` inside the sandbox's network namespace (port-forward). */
  portForward(sandboxId: string, port: number): Promise<Duplex>;
  stats(id: string): Promise<ContainerStats | undefined>;
  /** Stops everything it started and removes every host object it created. */
  shutdown(): Promise<void>;
}
