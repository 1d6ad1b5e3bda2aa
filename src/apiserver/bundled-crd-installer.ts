// Installs the CustomResourceDefinitions dabba bundles through the CRD store at start, and upgrades them when a
// newer dabba bundles a newer version.
import { bundleHashAnnotation, type CustomResourceDefinition } from '../api/crds/bundled-crds.ts';
import { StatusError } from '../machinery/status-error.ts';
import type { ApiServerContext } from './extension.ts';
import type { KObject } from './registry/kobject.ts';
import { systemContext } from './registry/request-context.ts';

export const crdGroup = 'apiextensions.k8s.io';
export const crdResource = 'customresourcedefinitions';

export type InstallOutcome = 'created' | 'updated' | 'unchanged' | 'kept';

const isStatus = (e: unknown, code: number) => e instanceof StatusError && e.code === code;

/**
 * Creates each CRD that is missing; replaces the spec of one that an older bundle installed (its hash annotation
 * differs). A CRD without the annotation was replaced by someone else (say `istioctl install`) and is kept as is.
 */
export async function installBundledCrds(ctx: ApiServerContext, crds: CustomResourceDefinition[]): Promise<Map<string, InstallOutcome> | undefined> {
  const store = ctx.registry.store(crdGroup, crdResource);
  if (!store) {
    ctx.log('CustomResourceDefinitions are not served; bundled CRDs not installed', { crds: crds.map((c) => c.metadata.name) });
    return undefined;
  }
  const outcomes = new Map<string, InstallOutcome>();
  for (const crd of crds) {
    const name = crd.metadata.name;
    const want = crd.metadata.annotations?.[bundleHashAnnotation];
    let existing: KObject | undefined;
    try {
      existing = await store.get(undefined, name);
    } catch (e) {
      if (!isStatus(e, 404)) throw e;
    }
    if (!existing) {
      try {
        await store.create(undefined, crd as unknown as KObject, systemContext());
        outcomes.set(name, 'created');
      } catch (e) {
        if (!isStatus(e, 409)) throw e;
        outcomes.set(name, 'unchanged');
      }
      continue;
    }
    const have = existing.metadata.annotations?.[bundleHashAnnotation];
    if (have === undefined || existing.metadata.deletionTimestamp) {
      outcomes.set(name, 'kept');
      continue;
    }
    if (have === want) {
      outcomes.set(name, 'unchanged');
      continue;
    }
    const next: KObject = {
      ...existing,
      metadata: {
        ...existing.metadata,
        labels: { ...existing.metadata.labels, ...crd.metadata.labels },
        annotations: { ...existing.metadata.annotations, ...crd.metadata.annotations },
      },
      spec: crd.spec,
    };
    await store.update(undefined, name, next, systemContext());
    outcomes.set(name, 'updated');
    ctx.log('bundled CRD updated', { crd: name, from: have, to: want });
  }
  return outcomes;
}
