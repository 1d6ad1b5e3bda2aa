// `exportTo` lists as istiod validates them: `.`, `*`, namespace names, and `~` for ServiceEntries only.
import { appendErrors, type ConfigError } from './config-errors.ts';
import { isDNS1123Label } from './hosts.ts';

function visibilityError(v: string): string | undefined {
  if (v === '.' || v === '*') return undefined;
  if (v === '~') return 'exportTo ~ (none) is not allowed for Istio configuration objects';
  return isDNS1123Label(v) ? undefined : 'only .,*, or a valid DNS 1123 label is allowed as exportTo entry';
}

export function validateExportTo(
  namespace: string,
  exportTo: string[] | undefined,
  isServiceEntry: boolean,
  isDestinationRuleWithSelector: boolean,
): ConfigError | undefined {
  let errs: ConfigError | undefined;
  if (!exportTo?.length) return errs;
  const seen = new Set<string>();
  for (const e of exportTo) {
    // `.` is the config's own namespace, so `.` and that namespace are duplicates.
    const key = e === '.' ? namespace : e;
    if (seen.has(key)) {
      errs = appendErrors(
        errs,
        key !== e ? `duplicate entries in exportTo: . and current namespace ${namespace}` : `duplicate entries in exportTo for entry ${e}`,
      );
    } else if (isServiceEntry && e === '~') {
      seen.add(key);
    } else {
      const err = visibilityError(key);
      if (err) errs = appendErrors(errs, err);
      else seen.add(key);
    }
  }
  if (isDestinationRuleWithSelector && seen.size > 0) {
    if (seen.has(namespace)) {
      if (seen.size > 1) errs = appendErrors(errs, 'destination rule with workload selector cannot have multiple entries in exportTo');
    } else {
      errs = appendErrors(errs, 'destination rule with workload selector cannot have exportTo beyond current namespace');
    }
  }
  if (seen.has('*') && exportTo.length > 1) errs = appendErrors(errs, 'cannot have both public (*) and non-public exportTo values for a resource');
  if (seen.has('~') && exportTo.length > 1) errs = appendErrors(errs, 'cannot export service entry to no one (~) and someone');
  return errs;
}
