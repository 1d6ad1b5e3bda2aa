// The Vertical Pod Autoscaler API: VerticalPodAutoscaler and VerticalPodAutoscalerCheckpoint CRDs (autoscaling.k8s.io).
import { bundledCrdsOf } from '../../api/crds/bundled-crds.ts';
import { installBundledCrds } from '../bundled-crd-installer.ts';
import type { ApiExtension } from '../extension.ts';

export const vpaGroup = 'autoscaling.k8s.io';

export function verticalPodAutoscaling(): ApiExtension {
  return {
    name: 'vertical-pod-autoscaling',
    install(ctx) {
      ctx.onStart(async () => {
        await installBundledCrds(ctx, bundledCrdsOf(vpaGroup));
      });
    },
  };
}
