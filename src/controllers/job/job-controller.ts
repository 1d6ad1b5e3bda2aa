// The Job controller: runs pods to completions with parallelism, counts finished pods through the job-tracking finalizer, fails on backoffLimit or activeDeadlineSeconds, as upstream's.
import type { KObject } from '../../apiserver/registry/kobject.ts';
import { selectorFromLabelSelector, type Selector } from '../../machinery/labels.ts';
import type { Logger } from '../../server/logger.ts';
import { isNamespaceTerminating, isNotFound } from '../api-errors.ts';
import { Controller, namespacedKey, type ControllerClient, type ReconcileResult, type SharedInformer } from '../controller.ts';
import { rfc3339, type EventSink } from '../event-recorder.ts';
import { compareActivePods } from '../pods/active-pods.ts';
import { claimObjects, recheckDeletion } from '../pods/controller-ref-manager.ts';
import { Expectations } from '../pods/expectations.ts';
import { controllerRef, PodControl, podFromTemplate, podsRef, slowStartInitialBatchSize } from '../pods/pod-control.ts';
import { controllerOf, isPodActive, isPodReady, timeOf } from '../pods/pod-state.ts';
import {
  ensureCondition,
  failureCondition,
  findCondition,
  isJobFinished,
  jobsRef,
  jobTrackingFinalizer,
  newJobCondition,
  successCondition,
  type JobCondition,
} from './job-conditions.ts';
import { BackoffStore, remainingBackoff, type BackoffRecord } from './pod-failure-backoff.ts';

/** Upstream's MaxUncountedPods and MaxPodCreateDeletePerSync. */
export const maxUncountedPods = 500;
export const maxPodCreateDeletePerSync = 500;

export interface JobControllerOptions {
  client: ControllerClient;
  jobs: SharedInformer;
  pods: SharedInformer;
  events: EventSink;
  log: Logger;
  workers?: number;
  now?: () => Date;
}

const keyOf = (o: KObject) => namespacedKey(o.metadata.namespace ?? '', o.metadata.name!);
const orphanPrefix = 'orphan-pod:';
const hasFinalizer = (p: KObject) => !!p.metadata.finalizers?.includes(jobTrackingFinalizer);
const removeFinalizerPatch = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [jobTrackingFinalizer] } };

interface Uncounted {
  succeeded: Set<string>;
  failed: Set<string>;
}

interface SyncCtx {
  job: KObject;
  pods: KObject[];
  activePods: KObject[];
  uncounted: Uncounted;
  expectedRmFinalizers: Set<string>;
  succeeded: number;
  failed: number;
  ready: number;
  terminating: number;
  finishedCondition?: JobCondition;
  backoff: BackoffRecord;
}

export class JobController {
  readonly controller: Controller;
  readonly expectations: Expectations;
  readonly #client: ControllerClient;
  readonly #jobs: SharedInformer;
  readonly #pods: SharedInformer;
  readonly #events: EventSink;
  readonly #podControl: PodControl;
  readonly #log: Logger;
  readonly #now: () => Date;
  readonly #backoff = new BackoffStore();
  /** Pod uids whose finalizer removal was sent but not yet seen, per Job key. */
  readonly #finalizerExpectations = new Map<string, Set<string>>();

  constructor(o: JobControllerOptions) {
    this.#client = o.client;
    this.#jobs = o.jobs;
    this.#pods = o.pods;
    this.#events = o.events;
    this.#log = o.log;
    this.#now = o.now ?? (() => new Date());
    this.expectations = new Expectations(() => this.#now().getTime());
    this.#podControl = new PodControl(o.client, o.events);
    this.controller = new Controller('job', (k) => this.sync(k), { log: o.log, workers: o.workers ?? 5 });
    o.jobs.on({
      add: (j) => this.controller.enqueue(keyOf(j)),
      update: (j) => this.controller.enqueue(keyOf(j)),
      delete: (j) => {
        this.expectations.delete(keyOf(j));
        this.#finalizerExpectations.delete(keyOf(j));
        this.#backoff.delete(keyOf(j));
        // Its pods keep their finalizers until someone removes them: that is us.
        for (const p of this.#pods.list()) if (controllerOf(p)?.uid === j.metadata.uid && hasFinalizer(p)) this.controller.enqueue(orphanPrefix + keyOf(p));
      },
    });
    o.pods.on({ add: (p) => this.#podChanged(p, undefined), update: (p, old) => this.#podChanged(p, old), delete: (p) => this.#podDeleted(p) });
  }

  // ---- handlers ----

  #resolve(pod: KObject): KObject | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.#jobs.get(namespacedKey(pod.metadata.namespace ?? '', ref.name));
    return job?.metadata.uid === ref.uid ? job : undefined;
  }

  #observeFinalizer(job: KObject, pod: KObject, gone: boolean): void {
    if (gone || !hasFinalizer(pod)) this.#finalizerExpectations.get(keyOf(job))?.delete(pod.metadata.uid!);
  }

  #podChanged(pod: KObject, old: KObject | undefined): void {
    if (old && pod.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const job = this.#resolve(pod);
    if (!job) {
      if (controllerOf(pod)?.kind === 'Job' && hasFinalizer(pod)) this.controller.enqueue(orphanPrefix + keyOf(pod));
      else if (!controllerOf(pod) && !old) for (const j of this.#matching(pod)) this.controller.enqueue(keyOf(j));
      return;
    }
    const key = keyOf(job);
    if (!old) this.expectations.creationObserved(key);
    else if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) this.expectations.deletionObserved(key, keyOf(pod));
    this.#observeFinalizer(job, pod, false);
    this.controller.enqueue(key);
    // Pod readiness can change the moment a pod is replaced, but a new pod is never needed sooner than that.
  }

  #podDeleted(pod: KObject): void {
    const job = this.#resolve(pod);
    if (!job) return;
    const key = keyOf(job);
    this.expectations.deletionObserved(key, keyOf(pod));
    this.#observeFinalizer(job, pod, true);
    this.controller.enqueue(key);
  }

  #matching(pod: KObject): KObject[] {
    return this.#jobs.list().filter((j) => {
      if (j.metadata.namespace !== pod.metadata.namespace) return false;
      try {
        const s = selectorFromLabelSelector(j.spec?.selector);
        return !s.isEmpty() && s.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  // ---- sync ----

  async sync(key: string): Promise<ReconcileResult | void> {
    if (key.startsWith(orphanPrefix)) return this.#syncOrphanPod(key.slice(orphanPrefix.length));
    const cached = this.#jobs.get(key);
    if (!cached) {
      this.expectations.delete(key);
      this.#finalizerExpectations.delete(key);
      return;
    }
    const job = structuredClone(cached);
    if (job.spec?.managedBy && job.spec.managedBy !== 'kubernetes.io/job-controller') return;
    if (isJobFinished(job)) {
      // Finished: only finalizers of its pods may be left to remove.
      const pods = this.#pods.list().filter((p) => controllerOf(p)?.uid === job.metadata.uid && hasFinalizer(p));
      await this.#removeFinalizers(key, pods);
      return;
    }
    const now = this.#now();
    const satisfied = this.expectations.satisfied(key) && !(this.#finalizerExpectations.get(key)?.size);
    const pods = await this.#claimPods(job);
    const activePods = pods.filter(isPodActive);
    const status = (job.status ??= {});
    const uncountedStatus = { succeeded: status.uncountedTerminatedPods?.succeeded ?? [], failed: status.uncountedTerminatedPods?.failed ?? [] };
    const ctx: SyncCtx = {
      job,
      pods,
      activePods,
      uncounted: { succeeded: new Set(uncountedStatus.succeeded), failed: new Set(uncountedStatus.failed) },
      expectedRmFinalizers: new Set(this.#finalizerExpectations.get(key) ?? []),
      succeeded: 0,
      failed: 0,
      ready: activePods.filter(isPodReady).length,
      terminating: 0,
      backoff: { failuresAfterLastSuccess: 0 },
    };
    let active = activePods.length;
    const newSucceeded = this.#newFinished(ctx, ctx.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
    const newFailed = this.#newFinished(ctx, ctx.uncounted.failed, (p) => isPodFailed(p, job));
    ctx.succeeded = (status.succeeded ?? 0) + newSucceeded.length + ctx.uncounted.succeeded.size;
    ctx.failed = (status.failed ?? 0) + newFailed.length + ctx.uncounted.failed.size;
    if (!status.startTime && !job.spec?.suspend) status.startTime = rfc3339(now);
    ctx.backoff = this.#backoff.next(key, newSucceeded, newFailed, now.getTime());

    let requeueAfter: number | undefined;
    const backoffLimit = job.spec?.backoffLimit ?? 6;
    if (!findCondition(status.conditions, 'SuccessCriteriaMet')) {
      const target = findCondition(status.conditions, 'FailureTarget');
      if (target?.status === 'True') ctx.finishedCondition = newJobCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
    }
    const successMet = findCondition(status.conditions, 'SuccessCriteriaMet');
    if (successMet?.status === 'True' && !ctx.finishedCondition) ctx.finishedCondition = successMet;
    if (!ctx.finishedCondition) {
      if (ctx.failed > backoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        ctx.finishedCondition = failureCondition('BackoffLimitExceeded', 'Job has reached the specified backoff limit', now);
      } else if (this.#pastActiveDeadline(job, now)) {
        ctx.finishedCondition = failureCondition('DeadlineExceeded', 'Job was active longer than specified deadline', now);
      } else if (job.spec?.activeDeadlineSeconds != null && !job.spec?.suspend) {
        requeueAfter = job.spec.activeDeadlineSeconds * 1000 - (now.getTime() - (timeOf(status.startTime) ?? now.getTime()));
      }
    }

    let manageError: unknown;
    let suspendChanged = false;
    const failing = ctx.finishedCondition && (ctx.finishedCondition.type === 'FailureTarget' || ctx.finishedCondition.type === 'Failed');
    if (failing) {
      const { deleted, deletedReady, error } = await this.#deleteActivePods(job, activePods);
      // Not finished yet while pods are left or the cache has not caught up.
      if (deleted !== active || !satisfied) ctx.finishedCondition = undefined;
      active -= deleted;
      ctx.ready -= deletedReady;
      manageError = error;
    } else if (!ctx.finishedCondition) {
      let managed = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        const r = await this.#manageJob(key, job, ctx, now);
        active = r.active;
        manageError = r.error;
        if (r.requeueAfter !== undefined) requeueAfter = Math.min(requeueAfter ?? Infinity, r.requeueAfter);
        managed = true;
      }
      const completions = job.spec?.completions;
      const complete = completions == null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
      if (complete) ctx.finishedCondition = successCondition(now);
      else if (managed) {
        let changed: boolean;
        if (job.spec?.suspend) {
          [status.conditions, changed] = ensureCondition(status.conditions ?? [], 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
          if (changed) this.#events.event(job, 'Normal', 'Suspended', 'Job suspended');
        } else {
          [status.conditions, changed] = ensureCondition(status.conditions ?? [], 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
          if (changed) {
            this.#events.event(job, 'Normal', 'Resumed', 'Job resumed');
            // activeDeadlineSeconds counts continuous activity: it starts again on resume.
            status.startTime = rfc3339(now);
          }
        }
        if (!status.conditions?.length) delete status.conditions;
        suspendChanged = changed;
      }
    }
    ctx.terminating = pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length;
    const needsUpdate = suspendChanged || active !== (status.active ?? 0) || ctx.ready !== status.ready || ctx.terminating !== status.terminating;
    status.active = active;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    await this.#trackStatusAndRemoveFinalizers(key, ctx, needsUpdate, now);
    if (manageError) throw manageError;
    if (requeueAfter !== undefined && requeueAfter !== Infinity) return { requeueAfter: Math.max(requeueAfter, 0) };
  }

  #newFinished(ctx: SyncCtx, uncounted: Set<string>, filter: (p: KObject) => boolean): KObject[] {
    return ctx.pods.filter((p) => hasFinalizer(p) && !uncounted.has(p.metadata.uid!) && !ctx.expectedRmFinalizers.has(p.metadata.uid!) && filter(p));
  }

  #pastActiveDeadline(job: KObject, now: Date): boolean {
    const start = timeOf(job.status?.startTime);
    if (job.spec?.activeDeadlineSeconds == null || start === undefined || job.spec?.suspend) return false;
    return now.getTime() - start >= job.spec.activeDeadlineSeconds * 1000;
  }

  async #claimPods(job: KObject): Promise<KObject[]> {
    let selector: Selector;
    try {
      selector = selectorFromLabelSelector(job.spec?.selector);
    } catch {
      return [];
    }
    const inNamespace = this.#pods.list().filter((p) => p.metadata.namespace === job.metadata.namespace);
    // Pods still holding the finalizer are the Job's even when finished; adoption only takes active ones.
    const candidates = inNamespace.filter((p) => controllerOf(p) || isPodActive(p));
    return claimObjects(candidates, { client: this.#client, ref: podsRef, owner: job, selector, canAdopt: recheckDeletion(this.#client, jobsRef, job) });
  }

  async #manageJob(key: string, job: KObject, ctx: SyncCtx, now: Date): Promise<{ active: number; error?: unknown; requeueAfter?: number }> {
    let active = ctx.activePods.length;
    const parallelism = job.spec?.parallelism ?? 1;
    if (job.spec?.suspend) {
      const toDelete = [...ctx.activePods].sort(compareActivePods);
      this.expectations.expectDeletions(key, toDelete.map(keyOf));
      const r = await this.#deleteJobPods(key, job, toDelete);
      ctx.ready -= r.deletedReady;
      return { active: active - r.deleted, error: r.error };
    }
    let want: number;
    const completions = job.spec?.completions;
    if (completions == null) want = ctx.succeeded > 0 ? active : parallelism;
    else want = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));
    const rmAtLeast = Math.max(0, active - want);
    const toDelete = [...ctx.activePods].sort(compareActivePods).slice(0, Math.min(rmAtLeast, maxPodCreateDeletePerSync));
    if (toDelete.length) {
      this.expectations.expectDeletions(key, toDelete.map(keyOf));
      const r = await this.#deleteJobPods(key, job, toDelete);
      ctx.ready -= r.deletedReady;
      return { active: active - r.deleted, error: r.error };
    }
    let diff = want - active;
    if (diff <= 0) return { active };
    const wait = remainingBackoff(ctx.backoff, now.getTime());
    if (wait > 0) return { active: 0, requeueAfter: wait };
    diff = Math.min(diff, maxPodCreateDeletePerSync);
    this.expectations.expectCreations(key, diff);
    active += diff;
    const template = structuredClone(job.spec?.template ?? {});
    template.metadata ??= {};
    template.metadata.finalizers = [...new Set([...(template.metadata.finalizers ?? []), jobTrackingFinalizer])];
    const ref = controllerRef(job);
    let firstError: unknown;
    for (let batch = Math.min(diff, slowStartInitialBatchSize); diff > 0; batch = Math.min(2 * batch, diff)) {
      const results = await Promise.allSettled(
        Array.from({ length: batch }, async () => {
          try {
            await this.#podControl.createPod(job.metadata.namespace!, podFromTemplate(template, job, ref), job);
          } catch (e) {
            if (isNamespaceTerminating(e)) return;
            this.expectations.creationObserved(key);
            active--;
            throw e;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      const skipped = diff - batch;
      if (failed) {
        firstError ??= failed.reason;
        if (skipped > 0) {
          active -= skipped;
          for (let i = 0; i < skipped; i++) this.expectations.creationObserved(key);
        }
        break;
      }
      diff -= batch;
    }
    return { active, error: firstError };
  }

  /** Deletes pods the Job no longer wants, dropping their finalizer first: they are not counted as failed. */
  async #deleteJobPods(key: string, job: KObject, pods: KObject[]): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    let deleted = 0;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        try {
          if (hasFinalizer(pod)) await this.#client.patch(podsRef, pod.metadata.namespace, pod.metadata.name!, removeFinalizerPatch, 'strategic');
          await this.#podControl.deletePod(job.metadata.namespace!, pod.metadata.name!, job);
          deleted++;
          if (isPodReady(pod)) deletedReady++;
        } catch (e) {
          this.expectations.deletionObserved(key, keyOf(pod));
          if (!isNotFound(e)) error ??= e;
        }
      }),
    );
    return { deleted, deletedReady, error };
  }

  /** Deletes the active pods of a failed Job; they keep their finalizer, so they are counted as failed. */
  async #deleteActivePods(job: KObject, pods: KObject[]): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    let deleted = pods.length;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        try {
          await this.#podControl.deletePod(job.metadata.namespace!, pod.metadata.name!, job);
        } catch (e) {
          if (!isNotFound(e)) {
            deleted--;
            error ??= e;
          }
        }
        if (isPodReady(pod)) deletedReady++;
      }),
    );
    return { deleted, deletedReady, error };
  }

  /**
   * Counts finished pods into status.uncountedTerminatedPods, removes their finalizers, moves them into
   * succeeded/failed, and finally sets Complete or Failed once nothing is uncounted or terminating.
   */
  async #trackStatusAndRemoveFinalizers(key: string, ctx: SyncCtx, needsFlush: boolean, now: Date): Promise<void> {
    const job = ctx.job;
    const status = job.status;
    status.uncountedTerminatedPods = { succeeded: [...ctx.uncounted.succeeded], failed: [...ctx.uncounted.failed] };
    const withFinalizer = new Set(ctx.pods.filter(hasFinalizer).map((p) => p.metadata.uid!));
    if (cleanUncounted(status, withFinalizer)) needsFlush = true;
    const toRemove: KObject[] = [];
    let reachedMax = false;
    const finished = ctx.finishedCondition;
    const failing = finished && (finished.type === 'FailureTarget' || finished.type === 'Failed');
    for (const pod of ctx.pods) {
      const uid = pod.metadata.uid!;
      if (!hasFinalizer(pod) || ctx.expectedRmFinalizers.has(uid)) continue;
      const podFailed = isPodFailed(pod, job);
      const removable = !!pod.metadata.deletionTimestamp || podFailed || pod.status?.phase === 'Succeeded' || !!failing;
      if (!removable) continue;
      toRemove.push(pod);
      const u = status.uncountedTerminatedPods;
      if (pod.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
        if (!ctx.uncounted.succeeded.has(uid)) {
          needsFlush = true;
          u.succeeded.push(uid);
        }
      } else if (podFailed || failing) {
        if (!ctx.uncounted.failed.has(uid)) {
          needsFlush = true;
          u.failed.push(uid);
        }
      }
      if (u.succeeded.length + u.failed.length >= maxUncountedPods) {
        reachedMax = true;
        break;
      }
    }
    if (finished?.type === 'FailureTarget') {
      status.conditions = [...(status.conditions ?? []), finished];
      needsFlush = true;
      ctx.finishedCondition = newJobCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', now);
    }
    if (finished?.type === 'SuccessCriteriaMet') {
      if (!findCondition(status.conditions, 'SuccessCriteriaMet')) {
        status.conditions = [...(status.conditions ?? []), finished];
        needsFlush = true;
      }
      ctx.finishedCondition = newJobCondition('Complete', 'True', finished.reason ?? '', finished.message ?? '', now);
    }

    // Record the uncounted pods before their finalizers go, so no finish is lost if we crash in between.
    if (needsFlush) {
      await this.#updateStatus(job);
      this.#backoff.save(key, ctx.backoff);
      needsFlush = false;
    }
    let rmError: unknown;
    if (toRemove.length) {
      const removed = await this.#removeFinalizers(key, toRemove).catch((e) => {
        rmError = e;
        return [] as string[];
      });
      for (const uid of removed) withFinalizer.delete(uid);
      if (rmError === undefined) for (const p of toRemove) withFinalizer.delete(p.metadata.uid!);
    }
    if (cleanUncounted(status, withFinalizer)) needsFlush = true;
    if (rmError && needsFlush) await this.#updateStatus(job);
    if (rmError) throw rmError;
    const jobFinished = !reachedMax && this.#enactJobFinished(ctx, now);
    if (jobFinished) needsFlush = true;
    if (needsFlush) {
      await this.#updateStatus(job);
      if (jobFinished) this.#recordJobFinished(job, ctx.finishedCondition!);
    }
  }

  #enactJobFinished(ctx: SyncCtx, now: Date): boolean {
    const c = ctx.finishedCondition;
    if (!c) return false;
    const u = ctx.job.status.uncountedTerminatedPods;
    if (u && u.succeeded.length + u.failed.length > 0) return false;
    if (ctx.terminating > 0) return false;
    [ctx.job.status.conditions] = ensureCondition(ctx.job.status.conditions ?? [], c.type, c.status, c.reason ?? '', c.message ?? '', now);
    if (c.type === 'Complete') ctx.job.status.completionTime = c.lastTransitionTime;
    return true;
  }

  #recordJobFinished(job: KObject, c: JobCondition): void {
    if (c.type === 'Complete') {
      if (job.spec?.completions != null && (job.status.succeeded ?? 0) > job.spec.completions) {
        this.#events.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.#events.event(job, 'Normal', 'Completed', 'Job completed');
    } else this.#events.event(job, 'Warning', c.reason ?? '', c.message ?? '');
  }

  async #updateStatus(job: KObject): Promise<void> {
    const body = structuredClone(job);
    const s = body.status;
    for (const k of ['active', 'succeeded', 'failed']) if (!s[k]) delete s[k];
    if (!s.conditions?.length) delete s.conditions;
    const u = s.uncountedTerminatedPods;
    if (u) {
      if (!u.succeeded?.length) delete u.succeeded;
      if (!u.failed?.length) delete u.failed;
    }
    const stored = await this.#client.update(jobsRef, body, 'status');
    job.metadata.resourceVersion = stored.metadata.resourceVersion;
  }

  /** Strategic-merge patches the tracking finalizer away; returns the uids done. Remembers them until observed. */
  async #removeFinalizers(key: string, pods: KObject[]): Promise<string[]> {
    let expected = this.#finalizerExpectations.get(key);
    if (!expected) this.#finalizerExpectations.set(key, (expected = new Set()));
    const done: string[] = [];
    let error: unknown;
    await Promise.all(
      pods.map(async (p) => {
        expected!.add(p.metadata.uid!);
        try {
          await this.#client.patch(podsRef, p.metadata.namespace, p.metadata.name!, removeFinalizerPatch, 'strategic');
          done.push(p.metadata.uid!);
        } catch (e) {
          expected!.delete(p.metadata.uid!);
          if (isNotFound(e)) done.push(p.metadata.uid!);
          else error ??= e;
        }
      }),
    );
    if (error) throw error;
    return done;
  }

  /** A pod whose Job is gone (or finished) keeps no tracking finalizer. */
  async #syncOrphanPod(podKey: string): Promise<void> {
    const pod = this.#pods.get(podKey);
    if (!pod || !hasFinalizer(pod)) return;
    const job = this.#resolve(pod);
    if (job && !isJobFinished(job) && !job.metadata.deletionTimestamp) return;
    try {
      await this.#client.patch(podsRef, pod.metadata.namespace, pod.metadata.name!, removeFinalizerPatch, 'strategic');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Uncounted pods whose finalizer is gone are counted for good (cleanUncountedPodsWithoutFinalizers). */
function cleanUncounted(status: KObject, withFinalizer: Set<string>): boolean {
  const u = status.uncountedTerminatedPods;
  let updated = false;
  const keepS = u.succeeded.filter((uid: string) => withFinalizer.has(uid));
  if (keepS.length !== u.succeeded.length) {
    status.succeeded = (status.succeeded ?? 0) + u.succeeded.length - keepS.length;
    u.succeeded = keepS;
    updated = true;
  }
  const keepF = u.failed.filter((uid: string) => withFinalizer.has(uid));
  if (keepF.length !== u.failed.length) {
    status.failed = (status.failed ?? 0) + u.failed.length - keepF.length;
    u.failed = keepF;
    updated = true;
  }
  return updated;
}

/** Failed, or deleted before finishing (unless only Failed pods are replaced). */
export function isPodFailed(pod: KObject, job: KObject): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (job.spec?.podFailurePolicy || job.spec?.podReplacementPolicy === 'Failed') return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

/** With restartPolicy OnFailure, container restarts of running pods count against backoffLimit. */
export function pastBackoffLimitOnFailure(job: KObject, pods: KObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}
