// What istiod's validating webhook answers for an Istio networking object: a denial text, or warnings.
import type { KObject } from '../registry/kobject.ts';
import { errorText, goQuote as q, warningTexts, type Validation } from './config-errors.ts';
import { validateDestinationRule } from './destination-rule.ts';
import { durationDecodingError } from './durations.ts';
import { validateGateway } from './gateway.ts';
import { istioConfigOf, type IstioConfig } from './istio-config.ts';
import { validateServiceEntry } from './service-entry.ts';
import { validateVirtualService } from './virtual-service.ts';

const validators: Record<string, (cfg: IstioConfig) => Validation> = {
  Gateway: validateGateway,
  VirtualService: validateVirtualService,
  DestinationRule: validateDestinationRule,
  ServiceEntry: validateServiceEntry,
};

/** The Istio networking kinds whose validation dabba runs. */
export const validatedKinds: readonly string[] = Object.keys(validators);

export interface IstioVerdict {
  /** The webhook's message when it refuses the object (without the API server's "admission webhook … denied" prefix). */
  denial?: string;
  warnings: string[];
}

const dryRunAnnotation = 'istio.io/dry-run';
const alwaysRejectAnnotation = 'internal.istio.io/webhook-always-reject';
const internalAnnotations = ['internal.istio.io/parent-namespace', 'internal.istio.io/parents'];

/** Checks istiod makes on every kind's metadata before its own rules. */
function metadataError(cfg: IstioConfig): string | undefined {
  // Only AuthorizationPolicy supports dry-run; none of the kinds validated here does.
  if (dryRunAnnotation in cfg.annotations) {
    return `${cfg.namespace}/${cfg.name} has unsupported annotation ${dryRunAnnotation}, please remove the annotation`;
  }
  if (alwaysRejectAnnotation in cfg.annotations) return `${q(alwaysRejectAnnotation)} annotation found, rejecting`;
  for (const a of internalAnnotations) if (a in cfg.annotations) return `${q(a)} annotation found, this may not be set by users`;
  return undefined;
}

export function validateIstioObject(kind: string, obj: KObject): IstioVerdict {
  const validate = validators[kind];
  if (!validate) return { warnings: [] };
  const cfg = istioConfigOf(obj);
  const decodeError = durationDecodingError(kind, cfg.spec);
  if (decodeError) return { denial: `error decoding configuration: ${decodeError}`, warnings: [] };
  const metaErr = metadataError(cfg);
  if (metaErr) return { denial: `configuration is invalid: ${metaErr}`, warnings: [] };
  const v = validate(cfg);
  if (v.err !== undefined) return { denial: `configuration is invalid: ${errorText(v.err)}`, warnings: [] };
  return { warnings: warningTexts(v.warn) };
}
