// `POST pods/{name}/eviction` (policy/v1 Eviction): marks the pod with the DisruptionTarget condition and deletes it with the
// given DeleteOptions, as upstream's EvictionREST does when no PodDisruptionBudget covers it (dabba serves none, so evictions
// are never refused with 429).
import { StatusError } from '../../machinery/status-error.ts';
import { BuiltinSchemas } from '../openapi/builtin-schemas.ts';
import type { KObject } from '../registry/kobject.ts';
import type { SubresourceHandler, SubresourceRequest } from '../registry/resource.ts';
import type { DeleteOptions } from '../registry/store.ts';

const acceptedVersions = ['policy/v1', 'policy/v1beta1'];
const schemas = new BuiltinSchemas('policy', 'Eviction');
/** EvictionsRetry: 20 attempts on conflicts (upstream waits 500 ms between them). */
const maxAttempts = 20;
const retryDelayMs = 50;

interface EvictionDeleteOptions extends DeleteOptions {
  dryRun?: string[];
}

/** Decodes the body as an Eviction, honouring `fieldValidation` like any create. */
async function readEviction(r: SubresourceRequest): Promise<KObject & { deleteOptions?: EvictionDeleteOptions }> {
  const obj = await r.readObject();
  const version = (obj.apiVersion ?? 'policy/v1').split('/')[1] ?? 'v1';
  if (obj.apiVersion !== undefined && !acceptedVersions.includes(obj.apiVersion)) {
    throw StatusError.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (policy/v1)`);
  }
  if (obj.kind !== undefined && obj.kind !== 'Eviction') {
    throw StatusError.badRequest(`${obj.kind} in version "${version}" cannot be handled as a Eviction: no kind "${obj.kind}" is registered for version "policy/${version}"`);
  }
  const typeError = schemas.typeError('v1', obj);
  if (typeError) throw StatusError.badRequest(`Eviction in version "${version}" cannot be handled as a Eviction: ${typeError}`);
  const mode = r.url.searchParams.get('fieldValidation') || 'Warn';
  if (mode !== 'Ignore') {
    const unknown = schemas.unknownFields('v1', obj);
    if (unknown.length && mode === 'Strict') {
      throw StatusError.badRequest(
        `Eviction in version "${version}" cannot be handled as a Eviction: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
      );
    }
    for (const f of unknown) r.ctx.warnings.push(`unknown field "${f}"`);
  }
  return obj as KObject & { deleteOptions?: EvictionDeleteOptions };
}

const goSlice = (v: string[]) => `[${v.join(' ')}]`;

/** propagateDryRun: the request's dryRun and the DeleteOptions' must agree when both are given. */
function deleteOptionsOf(eviction: { deleteOptions?: EvictionDeleteOptions }, r: SubresourceRequest): EvictionDeleteOptions {
  const opts: EvictionDeleteOptions = { ...(eviction.deleteOptions ?? {}) };
  const fromRequest = r.url.searchParams.getAll('dryRun');
  const fromBody = opts.dryRun ?? [];
  if (fromBody.length && fromRequest.length && goSlice(fromBody) !== goSlice(fromRequest)) {
    throw StatusError.badRequest(`Non-matching dry-run options in request and content: ${goSlice(fromRequest)} and ${goSlice(fromBody)}`);
  }
  for (const v of fromBody) {
    if (v !== 'All') throw StatusError.badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  if (fromBody.length) r.ctx.dryRun = true;
  return opts;
}

const isConflict = (e: unknown) => e instanceof StatusError && e.code === 409;
const podsResource = { group: '', resource: 'pods' };

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** podutil.UpdatePodCondition: adds or replaces the condition, keeping its transition time while the status holds; false if nothing changed. */
function updatePodCondition(status: { conditions?: PodCondition[] }, c: PodCondition, now: string): boolean {
  const conditions = (status.conditions ??= []);
  const i = conditions.findIndex((x) => x.type === c.type);
  if (i < 0) {
    conditions.push({ ...c, lastProbeTime: null, lastTransitionTime: now });
    return true;
  }
  const old = conditions[i]!;
  const next: PodCondition = { ...c, lastProbeTime: old.lastProbeTime ?? null, lastTransitionTime: old.status === c.status ? old.lastTransitionTime : now };
  if (old.status === next.status && old.reason === next.reason && old.message === next.message && old.lastTransitionTime === next.lastTransitionTime) return false;
  conditions[i] = next;
  return true;
}

/**
 * addConditionAndDeletePod: unless a dry run, the latest pod (still meeting the DeleteOptions' preconditions) gets
 * DisruptionTarget=True "EvictionByEvictionAPI" through its status, so a Job's podFailurePolicy can tell an eviction
 * from a crash; a resourceVersion precondition moves on to the version that write made. Then the delete.
 */
async function addConditionAndDeletePod(r: SubresourceRequest, options: DeleteOptions): Promise<void> {
  if (!r.ctx.dryRun) {
    const latest = await r.store.get(r.namespace, r.name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== latest.metadata.uid) {
      throw StatusError.conflict(
        podsResource,
        r.name,
        `the UID in the precondition (${pre.uid}) does not match the UID in record (${latest.metadata.uid}). The object might have been deleted and then recreated`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== latest.metadata.resourceVersion) {
      throw StatusError.conflict(
        podsResource,
        r.name,
        `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${latest.metadata.resourceVersion}). The object might have been modified`,
      );
    }
    const next = structuredClone(latest);
    next.status ??= {};
    const condition = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
    if (updatePodCondition(next.status as { conditions?: PodCondition[] }, condition, new Date().toISOString().replace(/\.\d+Z$/, 'Z'))) {
      const { object } = await r.store.update(r.namespace, r.name, next, r.ctx, { subresource: 'status' });
      if (pre?.resourceVersion) options = { ...options, preconditions: { ...pre, resourceVersion: object.metadata.resourceVersion } };
    }
  }
  await r.store.delete(r.namespace, r.name, options, r.ctx);
}

export function podEvictionHandler(): SubresourceHandler {
  return {
    methods: ['POST'],
    verbs: ['create'],
    responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' },
    async handle(r: SubresourceRequest): Promise<void> {
      const eviction = await readEviction(r);
      if ((eviction.metadata?.name ?? '') !== r.name) throw StatusError.badRequest('name in URL does not match name in Eviction object');
      const ns = eviction.metadata?.namespace;
      if (ns && ns !== r.namespace) {
        throw StatusError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      const options = deleteOptionsOf(eviction, r);
      const userPinnedVersion = options.preconditions?.resourceVersion !== undefined;
      for (let attempt = 1; ; attempt++) {
        const pod = await r.store.get(r.namespace, r.name);
        const phase = (pod.status as { phase?: string } | undefined)?.phase;
        const terminal = phase === 'Succeeded' || phase === 'Failed' || !!pod.metadata.deletionTimestamp;
        // Without budgets every pod may go; a live pod is deleted at the version just read, so a concurrent
        // change (it turning ready) is noticed, as shouldEnforceResourceVersion has it.
        const opts: DeleteOptions =
          terminal || userPinnedVersion
            ? options
            : { ...options, preconditions: { ...(options.preconditions ?? {}), resourceVersion: pod.metadata.resourceVersion } };
        try {
          await addConditionAndDeletePod(r, opts);
          break;
        } catch (e) {
          if (!isConflict(e) || userPinnedVersion || attempt >= maxAttempts) throw e;
          await new Promise((res) => setTimeout(res, retryDelayMs));
        }
      }
      // The create handler fills in the code of a returned Status.
      r.send(201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    },
  };
}
