// Label maps and workload selectors as istiod validates them (subset labels, source labels, endpoint labels).
import { appendErrors, appendValidation, goQuote as q, multiAppend, wrapWarning, type ConfigError, type Validation } from './config-errors.ts';

const dns1123Label = '[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?';
const qualifiedName = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const dnsNamePrefix = `${dns1123Label}(?:\\.${dns1123Label})*/`;
const tagKeyRe = new RegExp(`^(${dnsNamePrefix})?(${qualifiedName})$`);
const labelValueRe = new RegExp(`^(${qualifiedName})?$`);

function validateTagKey(k: string): string | undefined {
  const m = tagKeyRe.exec(k);
  if (!m) return `invalid tag key: ${q(k)}`;
  if (m[1] && m[1].length - 1 > 253) return `invalid tag key: ${q(k)} (DNS prefix is too long)`;
  if (m[2].length > 63) return `invalid tag key: ${q(k)} (name is too long)`;
  return undefined;
}

/** labels.Instance.Validate: keys and values must be Kubernetes label names and values (errors come as a list). */
export function validateLabels(labels: unknown): ConfigError | undefined {
  if (!labels || typeof labels !== 'object') return undefined;
  let errs: string[] | undefined;
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    const keyErr = validateTagKey(k);
    if (keyErr) errs = multiAppend(errs, keyErr);
    if (!labelValueRe.test(String(v ?? ''))) errs = multiAppend(errs, `invalid tag value: ${q(String(v ?? ''))}`);
  }
  return errs;
}

/** A `workloadSelector` with `matchLabels` (DestinationRule). */
export function validateWorkloadSelector(selector: any): Validation {
  let v: Validation = {};
  if (selector == null) return v;
  const labels: Record<string, string> = selector.matchLabels ?? {};
  for (const [k, val] of Object.entries(labels)) {
    if (k === '') v = appendValidation(v, `empty key is not supported in selector: ${q(`${k}=${val}`)}`);
    if (k.includes('*') || String(val).includes('*')) v = appendValidation(v, `wildcard is not supported in selector: ${q(`${k}=${val}`)}`);
  }
  if (Object.keys(labels).length === 0) v = appendValidation(v, wrapWarning('workload selector specified without labels'));
  return v;
}

/** A `workloadSelector` with plain `labels` (ServiceEntry, Sidecar): an error, and a warning when it has no labels. */
export function validateAlphaWorkloadSelector(selector: any): { warn?: string; err?: ConfigError } {
  if (selector == null) return {};
  const labels: Record<string, string> = selector.labels ?? {};
  let err: ConfigError | undefined;
  for (const [k, val] of Object.entries(labels)) {
    if (k === '') err = appendErrors(err, `empty key is not supported in selector: ${q(`${k}=${val}`)}`);
    if (k.includes('*') || String(val).includes('*')) err = appendErrors(err, `wildcard is not supported in selector: ${q(`${k}=${val}`)}`);
  }
  return { err, warn: Object.keys(labels).length === 0 ? 'workload selector specified without labels' : undefined };
}
