// istiod's validating admission webhook (`validation.istio.io`), run in-process for the Istio networking kinds.
import { StatusError } from '../../machinery/status-error.ts';
import type { Admission } from '../extension.ts';
import type { KObject } from '../registry/kobject.ts';
import type { RequestContext } from '../registry/request-context.ts';

export const istioGroup = 'networking.istio.io';
export const webhookName = 'validation.istio.io';

/**
 * Denials read as the API server words a webhook's refusal (Kubernetes 1.33 ToStatusErr): status Failure, code 400
 * (istiod sets none, so the API server raises it to 400), no reason, and the message
 * `admission webhook "validation.istio.io" denied the request: <istiod's message>`.
 */
export function webhookDenial(message: string): StatusError {
  return new StatusError(400, '', `admission webhook ${JSON.stringify(webhookName)} denied the request: ${message}`);
}

// istiod's validation code (most of this folder) loads with the first Istio object written.
let validation: Promise<typeof import('./istio-validation.ts')> | undefined;

async function admitIstio(kind: string, obj: KObject, ctx: RequestContext): Promise<void> {
  const { validateIstioObject } = await (validation ??= import('./istio-validation.ts'));
  const verdict = validateIstioObject(kind, obj);
  if (verdict.denial !== undefined) throw webhookDenial(verdict.denial);
  ctx.warnings.push(...verdict.warnings);
}

export const istioValidationWebhook: Admission = {
  name: webhookName,
  admit(_op, def, obj, _old, ctx) {
    if (def.group !== istioGroup) return;
    return admitIstio(def.kind, obj, ctx);
  },
};
