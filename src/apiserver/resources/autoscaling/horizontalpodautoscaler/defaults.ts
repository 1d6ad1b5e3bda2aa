// Upstream defaulting for autoscaling/v2 HorizontalPodAutoscalers: minReplicas, the CPU metric, behavior rules.
import type { KObject } from '../../../registry/kobject.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** autoscaling.DefaultCPUUtilization: the target when no metric is given. */
export const defaultCPUUtilization = 80;

/** The metric an HPA without metrics scales on: 80% average CPU utilization. */
export const defaultCPUMetric = (): Json => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCPUUtilization } },
});

// The previous controller's behaviour: scale up by 4 pods or 100% per 15 s, no stabilization.
const defaultScaleUp = (): Json => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});

// No stabilization window here: the controller's --horizontal-pod-autoscaler-downscale-stabilization flag
// (default 5 minutes) must keep applying to HPAs that do not set one.
const defaultScaleDown = (): Json => ({
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** copyHPAScalingRules: the defaults, with every field the user set laid over them. */
function scalingRules(from: Json, defaults: Json): Json {
  if (!present(from) || typeof from !== 'object') return defaults;
  const out: Json = {};
  const window = present(from.stabilizationWindowSeconds) ? from.stabilizationWindowSeconds : defaults.stabilizationWindowSeconds;
  if (present(window)) out.stabilizationWindowSeconds = window;
  out.selectPolicy = present(from.selectPolicy) ? from.selectPolicy : defaults.selectPolicy;
  out.policies = present(from.policies) ? from.policies : defaults.policies;
  if (present(from.tolerance)) out.tolerance = from.tolerance;
  return out;
}

/** SetDefaults_HorizontalPodAutoscaler (autoscaling/v2), in place. */
export function setDefaults(hpa: KObject): void {
  if (hpa.spec === null || typeof hpa.spec !== 'object') hpa.spec = {};
  const spec = hpa.spec;
  if (!present(spec.minReplicas)) spec.minReplicas = 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) spec.metrics = [defaultCPUMetric()];
  // Behavior is only completed when the user gave one; without it the controller's own defaults apply.
  if (present(spec.behavior) && typeof spec.behavior === 'object') {
    spec.behavior = {
      scaleUp: scalingRules(spec.behavior.scaleUp, defaultScaleUp()),
      scaleDown: scalingRules(spec.behavior.scaleDown, defaultScaleDown()),
    };
  }
}
