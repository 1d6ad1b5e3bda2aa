// The Pod strategy: a new pod starts Pending with its QoS class; updates keep status and bump generation on spec changes.
import { computePodQOS } from '../../../../machinery/pod-qos.ts';
import type { Strategy } from '../../../registry/strategy.ts';
import type { KObject } from '../../../registry/kobject.ts';
import { FieldPath } from '../../../../machinery/field-errors.ts';
import { printer } from './columns.ts';
import { setDefaults } from './defaults.ts';
import { semanticEqual, validateCreate, validateUpdate } from './validation.ts';
import { dnsLabelNameWarning, podSpecWarnings } from './warnings.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const list = (v: unknown): Json[] => (Array.isArray(v) ? v : []);

/** qos.ComputePodQOS (one implementation, shared with the node agent). */
export const computeQOS = computePodQOS;

const nowTimestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export const strategy: Strategy = {
  defaults: setDefaults,

  /** Upstream's podStrategy.CheckGracefulDelete: unscheduled or finished pods go at once. */
  gracefulDeleteSeconds(pod: KObject, requested: number | undefined): number {
    let period = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 0;
    if (!pod.spec?.nodeName) period = 0;
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') period = 0;
    return Math.max(0, period);
  },

  prepareForCreate(pod: KObject): void {
    pod.metadata.generation = 1;
    pod.status = { phase: 'Pending', qosClass: computeQOS(pod.spec) };
    // applySchedulingGatedCondition
    if (list(pod.spec?.schedulingGates).length > 0) {
      pod.status.conditions = [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: nowTimestamp(),
          reason: 'SchedulingGated',
          message: 'Scheduling is blocked due to non-empty scheduling gates',
        },
      ];
    }
  },

  prepareForUpdate(pod: KObject, old: KObject): void {
    pod.status = structuredClone(old.status);
    const generation = old.metadata.generation ?? 0;
    pod.metadata.generation = semanticEqual(pod.spec, old.spec) ? generation : generation + 1;
  },

  validate: validateCreate,
  validateUpdate,

  warnings(pod: KObject, old?: KObject): string[] {
    // Upstream skips warnings on pod updates: pods are rarely edited by hand and updated often.
    if (old) return [];
    return [
      ...dnsLabelNameWarning(pod.metadata.name, "this is used in the Pod's hostname"),
      ...podSpecWarnings(new FieldPath(''), pod.spec, pod.metadata),
    ];
  },

  nameValidation: 'dns1123Subdomain',
  printer,

  /** pod.ToSelectableFields, beyond metadata.name and metadata.namespace. */
  selectableFields(pod: KObject): Record<string, string> {
    const spec = pod.spec ?? {};
    const status = pod.status ?? {};
    const podIPs = list(status.podIPs);
    return {
      'spec.nodeName': String(spec.nodeName ?? ''),
      'spec.restartPolicy': String(spec.restartPolicy ?? ''),
      'spec.schedulerName': String(spec.schedulerName ?? ''),
      'spec.serviceAccountName': String(spec.serviceAccountName ?? ''),
      'spec.hostNetwork': String(spec.hostNetwork === true),
      'status.phase': String(status.phase ?? ''),
      // The v1→internal conversion fills podIPs from podIP when only the latter is set.
      'status.podIP': podIPs.length > 0 ? String(podIPs[0]?.ip ?? '') : String(status.podIP ?? ''),
      'status.nominatedNodeName': String(status.nominatedNodeName ?? ''),
    };
  },
};
