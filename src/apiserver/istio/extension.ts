// The Istio networking API: Gateway, VirtualService, DestinationRule and ServiceEntry CRDs, with istiod's validation.
import { bundledCrdsOf } from '../../api/crds/bundled-crds.ts';
import { installBundledCrds } from '../bundled-crd-installer.ts';
import type { ApiExtension } from '../extension.ts';
import { istioGroup, istioValidationWebhook } from './validation-webhook.ts';

export function istioNetworking(): ApiExtension {
  return {
    name: 'istio-networking',
    install(ctx) {
      ctx.addAdmission(istioValidationWebhook);
      ctx.onStart(async () => {
        await installBundledCrds(ctx, bundledCrdsOf(istioGroup));
      });
    },
  };
}
