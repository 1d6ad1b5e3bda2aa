// TaintToleration: a node's NoSchedule and NoExecute taints keep off every pod that does not tolerate them.
import { Status, type FilterPlugin } from '../framework.ts';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** v1.Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: unknown, taint: Taint): boolean {
  return (Array.isArray(tolerations) ? (tolerations as Toleration[]) : []).some((t) => t && toleratesTaint(t, taint));
}

/** v1helper.FindMatchingUntoleratedTaint over the taints that forbid scheduling (NoSchedule, NoExecute). */
export function untoleratedTaint(taints: unknown, tolerations: unknown): Taint | undefined {
  for (const taint of (Array.isArray(taints) ? taints : []) as Taint[]) {
    if (taint?.effect !== 'NoSchedule' && taint?.effect !== 'NoExecute') continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}

export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  events: ['NodeAdd', 'NodeTaint'],
  filter(ctx, node) {
    const taint = untoleratedTaint(node.node.spec?.taints, ctx.pod.spec?.tolerations);
    if (!taint) return undefined;
    return Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  },
};
