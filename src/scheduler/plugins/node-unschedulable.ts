// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate its unschedulable taint.
import { Status, type FilterPlugin } from '../framework.ts';
import { tolerationsTolerateTaint } from './taint-toleration.ts';

export const errReasonUnschedulable = 'node(s) were unschedulable';

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  events: ['NodeAdd', 'NodeTaint'],
  filter(ctx, node) {
    if (node.node.spec?.unschedulable !== true) return undefined;
    const tolerates = tolerationsTolerateTaint(ctx.pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    return tolerates ? undefined : Status.unresolvable(errReasonUnschedulable);
  },
};
