// `POST …/pods/{name}/binding`: assigns a pending pod to a node, as upstream's BindingREST (what schedulers call).
import { StatusError } from '../../machinery/status-error.ts';
import { fieldNotSupported, fieldRequired, type FieldError } from '../../machinery/field-errors.ts';
import { updatePodCondition } from '../../machinery/pod-condition.ts';
import { BuiltinSchemas } from '../openapi/builtin-schemas.ts';
import type { KObject } from '../registry/kobject.ts';
import type { SubresourceHandler, SubresourceRequest } from '../registry/resource.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const schemas = new BuiltinSchemas('', 'Binding');
const podsResource = { group: '', resource: 'pods' };
const bindingResource = { group: '', resource: 'pods/binding' };

/** Decodes the body as a v1 Binding, honouring `fieldValidation` as any create does. */
async function readBinding(r: SubresourceRequest): Promise<KObject> {
  const obj = await r.readObject();
  if (obj.apiVersion !== undefined && obj.apiVersion !== 'v1') {
    throw StatusError.badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (v1)`);
  }
  if (obj.kind !== undefined && obj.kind !== 'Binding') {
    throw StatusError.badRequest(`${obj.kind} in version "v1" cannot be handled as a Binding: no kind "${obj.kind}" is registered for version "v1"`);
  }
  const typeError = schemas.typeError('v1', obj);
  if (typeError) throw StatusError.badRequest(`Binding in version "v1" cannot be handled as a Binding: ${typeError}`);
  const mode = r.url.searchParams.get('fieldValidation') || 'Warn';
  if (mode !== 'Ignore') {
    const unknown = schemas.unknownFields('v1', obj);
    if (unknown.length && mode === 'Strict') {
      throw StatusError.badRequest(
        `Binding in version "v1" cannot be handled as a Binding: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
      );
    }
    for (const f of unknown) r.ctx.warnings.push(`unknown field "${f}"`);
  }
  schemas.normalize('v1', obj);
  obj.metadata ??= {};
  return obj;
}

/** validation.ValidatePodBinding. */
export function validatePodBinding(binding: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const target: Json = binding.target ?? {};
  const kind = typeof target.kind === 'string' ? target.kind : '';
  if (kind !== '' && kind !== 'Node') errs.push(fieldNotSupported('target.kind', kind, ['Node', '<empty>']));
  if (typeof target.name !== 'string' || target.name === '') errs.push(fieldRequired('target.name'));
  return errs;
}

/** The text of upstream's storage.NewInvalidObjError for a failed precondition, keyed as etcd stores pods. */
function preconditionFailed(namespace: string, name: string, message: string): StatusError {
  const storageError = `StorageError: invalid object, Code: 4, Key: /registry/pods/${namespace}/${name}, ResourceVersion: 0, AdditionalErrorMsg: ${message}`;
  return StatusError.conflict(podsResource, name, storageError);
}

/**
 * BindingREST.setPodHostAndAnnotations: sets spec.nodeName if and only if the pod is unassigned, merges the
 * binding's annotations and marks the pod PodScheduled. Refusals become `pods/binding` conflicts, as assignPod does.
 */
export function assignPod(
  pod: KObject,
  binding: { uid?: string; resourceVersion?: string; node: string; annotations?: Record<string, string> },
  now: string,
): KObject {
  const namespace = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  if (binding.uid && binding.uid !== pod.metadata.uid) {
    throw preconditionFailed(namespace, name, `Precondition failed: UID in precondition: ${binding.uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
  }
  if (binding.resourceVersion && binding.resourceVersion !== pod.metadata.resourceVersion) {
    throw preconditionFailed(
      namespace,
      name,
      `Precondition failed: ResourceVersion in precondition: ${binding.resourceVersion}, ResourceVersion in object meta: ${pod.metadata.resourceVersion ?? ''}`,
    );
  }
  const refuse = (why: string) => StatusError.conflict(bindingResource, name, why);
  if (pod.metadata.deletionTimestamp) throw refuse(`pod ${name} is being deleted, cannot be assigned to a host`);
  const spec: Json = pod.spec ?? {};
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') throw refuse(`pod ${name} is already assigned to node ${JSON.stringify(spec.nodeName)}`);
  if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length !== 0) throw refuse(`pod ${name} has non-empty .spec.schedulingGates`);
  pod.spec = { ...spec, nodeName: binding.node };
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...(binding.annotations ?? {}) };
  pod.status ??= {};
  updatePodCondition(pod.status, { type: 'PodScheduled', status: 'True' }, now);
  return pod;
}

const nowTimestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** BindingREST.Create. */
async function createBinding(r: SubresourceRequest): Promise<void> {
  const namespace = r.namespace ?? '';
  const binding = await readBinding(r);
  const meta = binding.metadata;
  if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
    throw StatusError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if ((meta.name ?? '') !== r.name) throw StatusError.badRequest('name in URL does not match name in Binding object');
  const errs = validatePodBinding(binding);
  // Upstream returns the bare aggregate, which the handler reports as an error without a Status: a 500.
  if (errs.length) {
    const msgs = [...new Set(errs.map((e) => e.message()))];
    throw new StatusError(500, '', msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`);
  }
  const target = {
    uid: typeof meta.uid === 'string' ? meta.uid : undefined,
    resourceVersion: typeof meta.resourceVersion === 'string' ? meta.resourceVersion : undefined,
    node: String((binding.target as Json).name),
    annotations: meta.annotations as Record<string, string> | undefined,
  };
  await r.store.guaranteedUpdate(namespace, r.name, (pod) => assignPod(pod, target, nowTimestamp()), { dryRun: r.ctx.dryRun });
  r.send(201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

export function podBindingHandler(): SubresourceHandler {
  return {
    methods: ['POST'],
    verbs: ['create'],
    responseKind: { group: '', version: 'v1', kind: 'Binding' },
    handle: createBinding,
  };
}
