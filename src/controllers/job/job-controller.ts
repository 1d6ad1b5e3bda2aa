// The Job controller: runs pods to completions (NonIndexed or Indexed) with parallelism, counts finished pods through the job-tracking finalizer, and ends the Job by backoffLimit, deadline, pod failure policy, failed indexes or success policy, as upstream's.
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
import { formatIndexes, hasIndex, parseIndexes, sortedIndexes, totalIndexes, withIndexes, type Interval } from './index-intervals.ts';
import {
  addCompletionIndexEnv,
  duplicatedIndexPods,
  firstPendingIndexes,
  hasBackoffLimitPerIndex,
  isIndexedJob,
  podGenerateNameWithIndex,
  templateForIndex,
  validIndexOf,
} from './indexed-pods.ts';
import {
  ensureCondition,
  failureCondition,
  findCondition,
  isJobFinished,
  jobReasons,
  jobsRef,
  jobTrackingFinalizer,
  newJobCondition,
  successCondition,
  type JobCondition,
} from './job-conditions.ts';
import { BackoffStore, remainingBackoff, remainingBackoffForIndex, type BackoffRecord } from './pod-failure-backoff.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';
import {
  countedFailures,
  failJobMessage,
  indexFailureCountAnnotations,
  isIndexFailed,
  isPodFailed,
  isPodTerminating,
  onlyReplaceFailedPods,
  pastBackoffLimitOnFailure,
  podsWithDelayedDeletionPerIndex,
} from './pod-failures.ts';
import { matchSuccessPolicy } from './success-policy.ts';

export { isPodFailed, pastBackoffLimitOnFailure } from './pod-failures.ts';

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
const isSuccessCriteriaMet = (c: JobCondition | undefined) => c?.type === 'SuccessCriteriaMet' && c.status === 'True';

interface Uncounted {
  succeeded: Set<string>;
  failed: Set<string>;
}

/** syncJobCtx: what one sync has worked out about a Job and its pods. */
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
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  /** Set only with backoffLimitPerIndex. */
  failedIndexes?: Interval[];
  delayedDeletion: Map<number, KObject>;
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
      this.#backoff.delete(key);
      return;
    }
    const job = structuredClone(cached);
    if (job.spec?.managedBy && job.spec.managedBy !== 'kubernetes.io/job-controller') return;
    if (isJobFinished(job)) {
      // Finished: only finalizers of its pods may be left to remove.
      this.#backoff.delete(key);
      const pods = this.#pods.list().filter((p) => controllerOf(p)?.uid === job.metadata.uid && hasFinalizer(p));
      const r = await this.#removeFinalizers(key, pods);
      if (r.error) throw r.error;
      return;
    }
    const mode = job.spec?.completionMode;
    if (mode != null && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.#events.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const now = this.#now();
    const satisfied = this.expectations.satisfied(key) && !this.#finalizerExpectations.get(key)?.size;
    const pods = await this.#claimPods(job);
    const activePods = pods.filter(isPodActive);
    const status = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};
    const ctx: SyncCtx = {
      job,
      pods,
      activePods,
      uncounted: { succeeded: new Set(status.uncountedTerminatedPods.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods.failed ?? []) },
      expectedRmFinalizers: new Set(this.#finalizerExpectations.get(key) ?? []),
      succeeded: 0,
      failed: 0,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter(isPodTerminating).length,
      backoff: { failuresAfterLastSuccess: 0 },
      prevSucceededIndexes: [],
      succeededIndexes: [],
      delayedDeletion: new Map(),
    };
    let active = activePods.length;
    const newSucceeded = this.#validPods(ctx, ctx.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
    const newFailed = this.#validPods(ctx, ctx.uncounted.failed, (p) => isPodFailed(p, job));
    ctx.succeeded = (status.succeeded ?? 0) + newSucceeded.length + ctx.uncounted.succeeded.size;
    ctx.failed = (status.failed ?? 0) + countedFailures(job, newFailed) + ctx.uncounted.failed.size;
    if (!status.startTime && !job.spec?.suspend) status.startTime = rfc3339(now);
    ctx.backoff = this.#backoff.next(key, newSucceeded, newFailed);

    let requeueAfter: number | undefined;
    // A Job that met its success criteria is not failed any more by what its pods do next.
    const successMet = findCondition(status.conditions, 'SuccessCriteriaMet');
    if (successMet?.status === 'True') ctx.finishedCondition = successMet;
    if (!ctx.finishedCondition) {
      const target = findCondition(status.conditions, 'FailureTarget');
      const failJob = target?.status === 'True' ? undefined : failJobMessage(job, pods);
      if (target?.status === 'True') ctx.finishedCondition = newJobCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else if (failJob !== undefined) ctx.finishedCondition = failureCondition(jobReasons.podFailurePolicy, failJob, now);
    }
    if (!ctx.finishedCondition) {
      if (ctx.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
        ctx.finishedCondition = failureCondition(jobReasons.backoffLimitExceeded, 'Job has reached the specified backoff limit', now);
      } else if (this.#pastActiveDeadline(job, now)) {
        ctx.finishedCondition = failureCondition(jobReasons.deadlineExceeded, 'Job was active longer than specified deadline', now);
      } else if (job.spec?.activeDeadlineSeconds != null && !job.spec?.suspend) {
        requeueAfter = job.spec.activeDeadlineSeconds * 1000 - (now.getTime() - (timeOf(status.startTime) ?? now.getTime()));
      }
    }
    if (isIndexedJob(job)) this.#countIndexes(ctx, now);

    let manageError: unknown;
    let suspendChanged = false;
    if (ctx.finishedCondition) {
      const { deleted, deletedReady, error } = await this.#deleteActivePods(job, activePods);
      // Not finished yet while pods are left or the cache has not caught up.
      if (deleted !== active || !satisfied) ctx.finishedCondition = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageError = error;
    } else {
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
      else if (managed) suspendChanged = this.#ensureSuspendCondition(job, now);
    }
    const needsUpdate = suspendChanged || active !== (status.active ?? 0) || ctx.ready !== status.ready || ctx.terminating !== status.terminating;
    status.active = active;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    await this.#trackStatusAndRemoveFinalizers(key, ctx, needsUpdate, now);
    if (manageError) throw manageError;
    if (requeueAfter !== undefined && requeueAfter !== Infinity) return { requeueAfter: Math.max(requeueAfter, 0) };
  }

  /** Completed (and, with backoffLimitPerIndex, failed) indexes; the failure or success they decide. */
  #countIndexes(ctx: SyncCtx, now: Date): void {
    const job = ctx.job;
    const completions: number = job.spec?.completions ?? 0;
    const status = job.status;
    ctx.prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
    const succeededNow = ctx.pods.filter((p) => p.status?.phase === 'Succeeded' && hasFinalizer(p)).map((p) => validIndexOf(p, completions));
    ctx.succeededIndexes = withIndexes(ctx.prevSucceededIndexes, sortedIndexes(succeededNow.filter((ix) => ix !== undefined)));
    ctx.succeeded = totalIndexes(ctx.succeededIndexes);
    if (hasBackoffLimitPerIndex(job)) {
      const prevFailed = status.failedIndexes != null ? parseIndexes(status.failedIndexes, completions) : [];
      const failedNow = ctx.pods.filter((p) => hasFinalizer(p) && isIndexFailed(job, p)).map((p) => validIndexOf(p, completions));
      ctx.failedIndexes = withIndexes(prevFailed, sortedIndexes(failedNow.filter((ix) => ix !== undefined)));
      const failedCount = totalIndexes(ctx.failedIndexes);
      if (!ctx.finishedCondition) {
        if (job.spec?.maxFailedIndexes != null && failedCount > job.spec.maxFailedIndexes) {
          ctx.finishedCondition = failureCondition(jobReasons.maxFailedIndexesExceeded, 'Job has exceeded the specified maximal number of failed indexes', now);
        } else if (failedCount > 0 && failedCount + ctx.succeeded >= completions) {
          ctx.finishedCondition = failureCondition(jobReasons.failedIndexes, 'Job has failed indexes', now);
        }
      }
      ctx.delayedDeletion = podsWithDelayedDeletionPerIndex({
        job,
        pods: ctx.pods,
        activePods: ctx.activePods,
        succeeded: ctx.succeededIndexes,
        failed: ctx.failedIndexes,
        isCandidate: (p) => hasFinalizer(p) && !ctx.expectedRmFinalizers.has(p.metadata.uid!),
      });
    }
    if (!ctx.finishedCondition) {
      const msg = matchSuccessPolicy(job.spec?.successPolicy, completions, ctx.succeededIndexes);
      if (msg !== undefined) ctx.finishedCondition = newJobCondition('SuccessCriteriaMet', 'True', jobReasons.successPolicy, msg, now);
    }
  }

  /** Suspended=True while suspended, False once resumed (which restarts the activeDeadlineSeconds clock). */
  #ensureSuspendCondition(job: KObject, now: Date): boolean {
    const status = job.status;
    let changed: boolean;
    if (job.spec?.suspend) {
      [status.conditions, changed] = ensureCondition(status.conditions ?? [], 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
      if (changed) this.#events.event(job, 'Normal', 'Suspended', 'Job suspended');
    } else {
      [status.conditions, changed] = ensureCondition(status.conditions ?? [], 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
      if (changed) {
        this.#events.event(job, 'Normal', 'Resumed', 'Job resumed');
        status.startTime = rfc3339(now);
      }
    }
    if (!status.conditions?.length) delete status.conditions;
    return changed;
  }

  /** getValidPodsWithFilter: pods not yet counted (finalizer on, not uncounted) with, for Indexed Jobs, a valid index. */
  #validPods(ctx: SyncCtx, uncounted: Set<string> | undefined, filter: (p: KObject) => boolean): KObject[] {
    const indexed = isIndexedJob(ctx.job);
    const completions = ctx.job.spec?.completions ?? 0;
    return ctx.pods.filter((p) => {
      const uid = p.metadata.uid!;
      if (!hasFinalizer(p) || uncounted?.has(uid) || ctx.expectedRmFinalizers.has(uid)) return false;
      if (indexed && validIndexOf(p, completions) === undefined) return false;
      return filter(p);
    });
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

  /**
   * activePodsForRemoval: for Indexed Jobs pods with no, a repeated or an out-of-range index first; then, to
   * reach `rmAtLeast`, the least advanced of the rest.
   */
  #activePodsForRemoval(job: KObject, pods: KObject[], rmAtLeast: number): KObject[] {
    let rm: KObject[] = [];
    let left = pods;
    if (isIndexedJob(job)) ({ rm, left } = duplicatedIndexPods(pods, job.spec?.completions ?? 0));
    if (rm.length < rmAtLeast) rm = [...rm, ...[...left].sort(compareActivePods).slice(0, rmAtLeast - rm.length)];
    return rm;
  }

  async #manageJob(key: string, job: KObject, ctx: SyncCtx, now: Date): Promise<{ active: number; error?: unknown; requeueAfter?: number }> {
    let active = ctx.activePods.length;
    const parallelism = job.spec?.parallelism ?? 1;
    if (job.spec?.suspend) {
      const toDelete = this.#activePodsForRemoval(job, ctx.activePods, active);
      this.expectations.expectDeletions(key, toDelete.map(keyOf));
      const r = await this.#deleteJobPods(key, job, toDelete);
      ctx.terminating += r.deleted;
      ctx.ready -= r.deletedReady;
      return { active: active - r.deleted, error: r.error };
    }
    let want: number;
    const completions = job.spec?.completions;
    if (completions == null) want = ctx.succeeded > 0 ? active : parallelism;
    else want = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));
    const rmAtLeast = Math.max(0, active - want);
    const toDelete = this.#activePodsForRemoval(job, ctx.activePods, rmAtLeast).slice(0, maxPodCreateDeletePerSync);
    if (toDelete.length) {
      // Deletions and creations never share a sync; deletions come first.
      this.expectations.expectDeletions(key, toDelete.map(keyOf));
      const r = await this.#deleteJobPods(key, job, toDelete);
      ctx.terminating += r.deleted;
      ctx.ready -= r.deletedReady;
      return { active: active - r.deleted, error: r.error };
    }
    const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
    let diff = want - terminating - active;
    if (diff <= 0) return { active };
    const perIndex = hasBackoffLimitPerIndex(job);
    if (!perIndex) {
      const wait = remainingBackoff(ctx.backoff, now.getTime());
      if (wait > 0) return { active: 0, requeueAfter: wait };
    }
    diff = Math.min(diff, maxPodCreateDeletePerSync);
    let indexes: number[] = [];
    if (isIndexedJob(job)) {
      indexes = firstPendingIndexes(
        {
          activePods: ctx.activePods,
          succeeded: ctx.succeededIndexes,
          failed: ctx.failedIndexes,
          busy: onlyReplaceFailedPods(job) ? ctx.pods.filter(isPodTerminating) : undefined,
        },
        diff,
        completions ?? 0,
      );
      if (perIndex) {
        // Indexes still backing off wait; the others start now.
        const waits = indexes.map((ix) => remainingBackoffForIndex(ctx.delayedDeletion.get(ix), now.getTime()));
        const ready = indexes.filter((_, i) => waits[i] === 0);
        if (!ready.length && indexes.length) return { active: 0, requeueAfter: Math.min(...waits) };
        indexes = ready;
      }
      diff = indexes.length;
    }
    if (diff === 0) return { active };
    this.expectations.expectCreations(key, diff);
    active += diff;
    const template = structuredClone(job.spec?.template ?? {});
    template.metadata ??= {};
    template.metadata.finalizers = [...new Set([...(template.metadata.finalizers ?? []), jobTrackingFinalizer])];
    if (isIndexedJob(job)) addCompletionIndexEnv(template);
    const ref = controllerRef(job);
    const podFor = (index: number | undefined): KObject => {
      if (index === undefined) return podFromTemplate(template, job, ref);
      const t = templateForIndex(template, job.metadata.name!, index);
      if (perIndex) t.metadata.annotations = { ...t.metadata.annotations, ...indexFailureCountAnnotations(job, ctx.delayedDeletion.get(index)) };
      const pod = podFromTemplate(t, job, ref);
      pod.metadata.generateName = podGenerateNameWithIndex(job.metadata.name!, index);
      return pod;
    };
    let firstError: unknown;
    for (let batch = Math.min(diff, slowStartInitialBatchSize); diff > 0; batch = Math.min(2 * batch, diff)) {
      const results = await Promise.allSettled(
        indexes.length
          ? indexes.splice(0, batch).map((ix) => this.#createPod(key, job, podFor(ix)))
          : Array.from({ length: batch }, () => this.#createPod(key, job, podFor(undefined))),
      );
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      active -= failed.length;
      const skipped = diff - batch;
      if (failed.length) {
        firstError ??= failed[0]!.reason;
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

  /** Creates one pod; a failed create is no longer expected (a terminating namespace is no failure). */
  async #createPod(key: string, job: KObject, pod: KObject): Promise<void> {
    try {
      await this.#podControl.createPod(job.metadata.namespace!, pod, job);
    } catch (e) {
      if (isNamespaceTerminating(e)) return;
      this.expectations.creationObserved(key);
      throw e;
    }
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

  /** Deletes the active pods of a finishing Job; they keep their finalizer, so they are still counted. */
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
   * trackJobStatusAndRemoveFinalizers: records finished pods (uncounted uids, completed indexes) and the interim
   * FailureTarget / SuccessCriteriaMet condition, removes their finalizers, moves the uids into the counters,
   * and finally sets Complete or Failed once nothing is uncounted or terminating.
   */
  async #trackStatusAndRemoveFinalizers(key: string, ctx: SyncCtx, needsFlush: boolean, now: Date): Promise<void> {
    const job = ctx.job;
    const status = job.status;
    const indexed = isIndexedJob(job);
    const completions: number = job.spec?.completions ?? 0;
    const u = (status.uncountedTerminatedPods = {
      succeeded: [...(status.uncountedTerminatedPods?.succeeded ?? [])],
      failed: [...(status.uncountedTerminatedPods?.failed ?? [])],
    });
    // Completed indexes go in in order, so a capped sync still records a prefix.
    if (indexed) ctx.pods.sort((a, b) => (validIndexOf(a, Infinity) ?? -1) - (validIndexOf(b, Infinity) ?? -1));
    const withFinalizer = new Set(ctx.pods.filter((p) => hasFinalizer(p) && !ctx.expectedRmFinalizers.has(p.metadata.uid!)).map((p) => p.metadata.uid!));
    if (cleanUncounted(status, withFinalizer)) needsFlush = true;
    const toRemove: KObject[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMax = false;
    const finished = ctx.finishedCondition;
    for (const pod of ctx.pods) {
      const uid = pod.metadata.uid!;
      if (!hasFinalizer(pod) || ctx.expectedRmFinalizers.has(uid)) continue;
      const podFailed = isPodFailed(pod, job);
      if (!this.#canRemoveFinalizer(ctx, pod, podFailed)) continue;
      toRemove.push(pod);
      if (pod.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
        if (indexed) {
          // The index is enough to never count a pod twice.
          const ix = validIndexOf(pod, completions);
          if (ix !== undefined && !hasIndex(ctx.prevSucceededIndexes, ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!ctx.uncounted.succeeded.has(uid)) {
          u.succeeded.push(uid);
          needsFlush = true;
        }
      } else if (podFailed || (finished && !isSuccessCriteriaMet(finished))) {
        // Once the Job fails, every pod not yet finished counts as failed.
        const validIndex = !indexed || validIndexOf(pod, completions) !== undefined;
        if (!ctx.uncounted.failed.has(uid) && validIndex && matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
          u.failed.push(uid);
          needsFlush = true;
        }
      }
      if (newSucceededIndexes.length + u.succeeded.length + u.failed.length >= maxUncountedPods) {
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      ctx.succeededIndexes = withIndexes(ctx.succeededIndexes, sortedIndexes(newSucceededIndexes));
      const completed = formatIndexes(ctx.succeededIndexes);
      if (completed !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = totalIndexes(ctx.succeededIndexes);
      status.completedIndexes = completed;
      const failedIndexes = ctx.failedIndexes && formatIndexes(ctx.failedIndexes);
      if (failedIndexes !== status.failedIndexes) {
        status.failedIndexes = failedIndexes;
        needsFlush = true;
      }
    }
    if (finished?.type === 'FailureTarget') {
      // Recorded before any finalizer goes, so the reason survives a crash; Failed follows once all is counted.
      status.conditions = [...(status.conditions ?? []), finished];
      needsFlush = true;
      ctx.finishedCondition = newJobCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', now);
    }
    if (isSuccessCriteriaMet(finished)) {
      if (findCondition(status.conditions, 'SuccessCriteriaMet')?.status !== 'True') {
        status.conditions = [...(status.conditions ?? []), finished!];
        needsFlush = true;
      }
      ctx.finishedCondition = newJobCondition('Complete', 'True', finished!.reason ?? '', finished!.message ?? '', now);
    }

    // Record the uncounted pods before their finalizers go, so no finish is lost if we crash in between.
    if (needsFlush) {
      await this.#updateStatus(job);
      this.#backoff.save(key, ctx.backoff);
      needsFlush = false;
    }
    let rmError: unknown;
    if (toRemove.length) {
      const r = await this.#removeFinalizers(key, toRemove);
      for (const uid of r.done) withFinalizer.delete(uid);
      rmError = r.error;
    }
    if (cleanUncounted(status, withFinalizer)) needsFlush = true;
    if (rmError) {
      if (needsFlush) await this.#updateStatus(job);
      throw rmError;
    }
    const jobFinished = !reachedMax && this.#enactJobFinished(ctx, now);
    if (jobFinished) needsFlush = true;
    if (needsFlush) {
      await this.#updateStatus(job);
      if (jobFinished) this.#recordJobFinished(job, ctx.finishedCondition!);
    }
  }

  /**
   * canRemoveFinalizer: the Job is going or finishing, the pod succeeded, or it failed and is not the pod an
   * index's replacement still has to read its failure count from.
   */
  #canRemoveFinalizer(ctx: SyncCtx, pod: KObject, podFailed: boolean): boolean {
    if (ctx.job.metadata.deletionTimestamp || ctx.finishedCondition || pod.status?.phase === 'Succeeded') return true;
    if (!podFailed) return false;
    if (hasBackoffLimitPerIndex(ctx.job)) {
      const ix = validIndexOf(pod, Infinity);
      if (ix !== undefined && ctx.delayedDeletion.get(ix)?.metadata.uid === pod.metadata.uid) return false;
    }
    return true;
  }

  #enactJobFinished(ctx: SyncCtx, now: Date): boolean {
    const c = ctx.finishedCondition;
    if (!c) return false;
    const u = ctx.job.status.uncountedTerminatedPods;
    if (u && u.succeeded.length + u.failed.length > 0) return false;
    if (ctx.terminating > 0) return false;
    [ctx.job.status.conditions] = ensureCondition(ctx.job.status.conditions ?? [], c.type, c.status, c.reason ?? '', c.message ?? '', now);
    if (c.type === 'Complete') ctx.job.status.completionTime = findCondition(ctx.job.status.conditions, 'Complete')!.lastTransitionTime;
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
    if (!s.completedIndexes) delete s.completedIndexes;
    if (s.failedIndexes === undefined) delete s.failedIndexes;
    if (!s.conditions?.length) delete s.conditions;
    const u = s.uncountedTerminatedPods;
    if (u) {
      if (!u.succeeded?.length) delete u.succeeded;
      if (!u.failed?.length) delete u.failed;
    }
    const stored = await this.#client.update(jobsRef, body, 'status');
    job.metadata.resourceVersion = stored.metadata.resourceVersion;
  }

  /** Strategic-merge patches the tracking finalizer away; remembers the removals until they are observed. */
  async #removeFinalizers(key: string, pods: KObject[]): Promise<{ done: string[]; error?: unknown }> {
    let expected = this.#finalizerExpectations.get(key);
    if (!expected) this.#finalizerExpectations.set(key, (expected = new Set()));
    for (const p of pods) expected.add(p.metadata.uid!);
    const done: string[] = [];
    let error: unknown;
    await Promise.all(
      pods.map(async (p) => {
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
    return { done, error };
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
