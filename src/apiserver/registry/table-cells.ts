// Cell formats and column definitions shared by the kinds' table printers (labels, selectors, containers, Name, Age).
import type { ColumnDefinition } from './table.ts';

/** A column definition with upstream's defaults: no format, shown without `-o wide` unless priority is 1. */
export function column(name: string, type: ColumnDefinition['type'], description: string, priority = 0): ColumnDefinition {
  return { name, type, format: '', description, priority };
}

/** The Name column every upstream table opens with (events put it last, at priority 1). */
export function nameColumn(priority = 0): ColumnDefinition {
  return { name: 'Name', type: 'string', format: 'name', description: 'Name of the object, unique within its namespace.', priority };
}

/** The Age column, computed from metadata.creationTimestamp. */
export const ageColumn: ColumnDefinition = column('Age', 'string', 'Time since the object was created.');

/** A label map as `k1=v1,k2=v2` with keys sorted, or `<none>` when empty (upstream labels.FormatLabels). */
export function formatLabels(labels: Record<string, string> | null | undefined): string {
  const text = Object.keys(labels ?? {})
    .sort()
    .map((key) => `${key}=${labels![key]}`)
    .join(',');
  return text === '' ? '<none>' : text;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** Thrown when a label selector cannot be turned into requirements (an unknown operator or a bad value count). */
export class InvalidSelectorError extends Error {
  readonly code = 'DABBA_ERR_INVALID_SELECTOR';
}

/**
 * A label selector in selector syntax, requirements sorted by key and set values sorted: `app=web,tier in (a,b),!legacy`.
 * Empty for a missing or empty selector (upstream LabelSelectorAsSelector(...).String()).
 */
export function selectorString(selector: LabelSelector | null | undefined): string {
  if (!selector) return '';
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    requirements.push({ key, text: `${key}=${value}` });
  }
  for (const expr of selector.matchExpressions ?? []) {
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
      case 'NotIn': {
        if (values.length === 0) throw new InvalidSelectorError(`operator ${expr.operator} on ${expr.key} needs at least one value`);
        const op = expr.operator === 'In' ? 'in' : 'notin';
        requirements.push({ key: expr.key, text: `${expr.key} ${op} (${[...values].sort().join(',')})` });
        break;
      }
      case 'Exists':
      case 'DoesNotExist':
        if (values.length !== 0) throw new InvalidSelectorError(`operator ${expr.operator} on ${expr.key} takes no values`);
        requirements.push({ key: expr.key, text: expr.operator === 'Exists' ? expr.key : `!${expr.key}` });
        break;
      default:
        throw new InvalidSelectorError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    }
  }
  // Array.prototype.sort is stable, so a key given twice keeps matchLabels before matchExpressions.
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements.map((r) => r.text).join(',');
}

/** A label selector for a cell: `<none>` when it selects everything or nothing, `<error>` when invalid (upstream FormatLabelSelector). */
export function formatLabelSelector(selector: LabelSelector | null | undefined): string {
  let text: string;
  try {
    text = selectorString(selector);
  } catch (err) {
    if (err instanceof InvalidSelectorError) return '<error>';
    throw err;
  }
  return text === '' ? '<none>' : text;
}

export interface ContainerLike {
  name?: string;
  image?: string;
}

/** The Containers and Images cells of a pod template: names and images each joined by commas. */
export function containerCells(containers: readonly ContainerLike[] | null | undefined): [names: string, images: string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

export interface LoadBalancerStatus {
  ingress?: { ip?: string; hostname?: string }[];
}

/**
 * Load-balancer ingress points of a Service or Ingress, IP else hostname, deduplicated and sorted.
 * Upstream clips this to 16 characters only for non-wide output; server-side tables are always generated wide.
 */
export function loadBalancerAddresses(status: LoadBalancerStatus | null | undefined): string {
  const found = new Set<string>();
  for (const ingress of status?.ingress ?? []) {
    if (ingress.ip) found.add(ingress.ip);
    else if (ingress.hostname) found.add(ingress.hostname);
  }
  return [...found].sort().join(',');
}
