// Rollback through the deprecated `deprecated.deployment.rollback.to` annotation (upstream's rollback.go); kubectl's `rollout undo` patches the template instead.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { deploymentsRef, equalIgnoreHash, lastRevision, podTemplateHashLabel, revisionOf, rollbackToAnnotation, setDeploymentAnnotationsTo } from './deployment-util.ts';
import { getAllReplicaSetsAndSyncRevision, type SyncContext } from './sync.ts';

/** The revision asked for; undefined when absent or not a number (ignored, as upstream). */
export function rollbackRevision(d: KObject): number | undefined {
  const v = d.metadata.annotations?.[rollbackToAnnotation];
  return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

export async function rollback(ctx: SyncContext, d: KObject, rsList: KObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  const all = [...oldRSs, ...(newRS ? [newRS] : [])];
  let revision = rollbackRevision(d) ?? 0;
  if (revision === 0) {
    revision = lastRevision(all);
    if (revision === 0) {
      ctx.events.event(d, 'Warning', 'DeploymentRollbackRevisionNotFound', 'Unable to find last revision.');
      return clearRollbackTo(ctx, d);
    }
  }
  const target = all.find((rs) => revisionOf(rs) === revision);
  if (!target) {
    ctx.events.event(d, 'Warning', 'DeploymentRollbackRevisionNotFound', 'Unable to find the revision to rollback to.');
    return clearRollbackTo(ctx, d);
  }
  if (equalIgnoreHash(d.spec?.template, target.spec?.template)) {
    ctx.events.event(d, 'Warning', 'DeploymentRollbackTemplateUnchanged', `The rollback revision contains the same template as current deployment "${d.metadata.name}"`);
    return clearRollbackTo(ctx, d);
  }
  const template = structuredClone(target.spec.template);
  if (template.metadata?.labels) delete template.metadata.labels[podTemplateHashLabel];
  d.spec.template = template;
  setDeploymentAnnotationsTo(d, target);
  await clearRollbackTo(ctx, d);
  ctx.events.event(d, 'Normal', 'DeploymentRollback', `Rolled back deployment "${d.metadata.name}" to revision ${revision}`);
}

async function clearRollbackTo(ctx: SyncContext, d: KObject): Promise<void> {
  if (d.metadata.annotations) delete d.metadata.annotations[rollbackToAnnotation];
  await ctx.client.update(deploymentsRef, d);
}
