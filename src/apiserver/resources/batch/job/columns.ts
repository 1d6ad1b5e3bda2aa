// Table columns for batch/v1 Jobs: status from conditions, completions, run duration, and (wide) the pod template and selector.
import type { KObject } from '../../../registry/kobject.ts';
import type { Printer } from '../../../registry/table.ts';
import { age, humanDuration, parseTimestamp } from '../../../registry/human-duration.ts';
import { ageColumn, column, containerCells, formatLabelSelector, nameColumn } from '../../../registry/table-cells.ts';

interface JobCondition {
  type?: string;
  status?: string;
}

/** Whether the first condition of a type is True. */
function hasCondition(conditions: JobCondition[], type: string): boolean {
  return conditions.find((c) => c.type === type)?.status === 'True';
}

function jobStatus(job: KObject): string {
  const conditions: JobCondition[] = job.status?.conditions ?? [];
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** `succeeded/completions`; a work-queue job (no completions) reads `n/1`, or `n/1 of P` when it runs P pods at once. */
function completions(spec: { completions?: number | null; parallelism?: number | null }, succeeded: number): string {
  const wanted = spec.completions ?? undefined;
  const parallelism = spec.parallelism ?? undefined;
  // batch/v1 defaulting sets both to 1 when neither is given.
  if (wanted !== undefined || parallelism === undefined) return `${succeeded}/${wanted ?? 1}`;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Time from start to completion, or to now while running; empty before the job starts. */
function jobDuration(status: { startTime?: string | null; completionTime?: string | null }, now: Date): string {
  const start = parseTimestamp(status.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(status.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

export const printer: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'Running, Complete, Failed, Suspended, FailureTarget or Terminating.'),
    column('Completions', 'string', 'Succeeded pods out of the completions asked for.'),
    column('Duration', 'string', 'How long the job ran, or has been running.'),
    ageColumn,
    column('Containers', 'string', 'Names of the containers in the pod template.', 1),
    column('Images', 'string', 'Images of the containers in the pod template.', 1),
    column('Selector', 'string', 'Label selector for the pods the job manages.', 1),
  ],
  row(job: KObject, now: Date): unknown[] {
    const spec = job.spec ?? {};
    const status = job.status ?? {};
    const [names, images] = containerCells(spec.template?.spec?.containers);
    return [
      job.metadata.name ?? '',
      jobStatus(job),
      completions(spec, status.succeeded ?? 0),
      jobDuration(status, now),
      age(job.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};
