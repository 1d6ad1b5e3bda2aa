// The scheduling framework's vocabulary: plugin statuses and codes, filter plugins, cycle state and cluster events.
import type { KObject } from '../apiserver/registry/kobject.ts';
import type { NodeInfo } from './node-info.ts';

export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** framework.Status: a code, the reasons shown in FailedScheduling messages, and the plugin that set it. */
export class Status {
  readonly code: Code;
  readonly reasons: string[];
  plugin: string;

  constructor(code: Code, reasons: string[] = [], plugin = '') {
    this.code = code;
    this.reasons = reasons;
    this.plugin = plugin;
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons);
  }

  static error(message: string): Status {
    return new Status('Error', [message]);
  }

  /** IsRejected: the pod does not fit (as opposed to an internal error). */
  get rejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable';
  }

  /** Status.Message: the reasons joined by ", ". */
  message(): string {
    return this.reasons.join(', ');
  }
}

/** What changes in the cluster can make a rejected pod schedulable again (framework.ClusterEvent, coarsely). */
export type ClusterEvent =
  | 'NodeAdd'
  | 'NodeLabel'
  | 'NodeTaint'
  | 'NodeAllocatable'
  | 'NodeCondition'
  | 'NodeAnnotation'
  | 'AssignedPodAdd'
  | 'AssignedPodUpdate'
  | 'AssignedPodDelete'
  | 'NamespaceChange';

/** Per-cycle data that PreFilter computes for Filter, keyed by plugin name. */
export type CycleState = Map<string, unknown>;

/** Everything a plugin may read while scheduling one pod. */
export interface CycleContext {
  pod: KObject;
  state: CycleState;
  /** Every node with the pods already on it (bound and assumed). */
  nodes: NodeInfo[];
  /** Namespace labels by name, for affinity terms' namespaceSelector. */
  namespaceLabels(name: string): Record<string, string> | undefined;
}

export interface PreFilterResult {
  /** Only these nodes can fit (node names); undefined means all nodes. */
  nodeNames?: Set<string>;
  /** A rejection for every node: the filters are not run. */
  status?: Status;
}

/** A scheduling plugin with the extension points dabba runs: PreFilter and Filter. */
export interface FilterPlugin {
  readonly name: string;
  /** The cluster events that may make a pod this plugin rejected schedulable (EventsToRegister). */
  readonly events: readonly ClusterEvent[];
  preFilter?(ctx: CycleContext): PreFilterResult | undefined;
  filter(ctx: CycleContext, node: NodeInfo): Status | undefined;
}
