// Finds the served resources (preferred version of every group) through the discovery API, as client-go's ServerPreferredResources.
import type { ResourceRef } from '../client/client.ts';
import type { ControllerClient } from './controller.ts';

export interface DiscoveredResource extends ResourceRef {
  verbs: string[];
}

export interface DiscoveryResult {
  resources: DiscoveredResource[];
  /** Groups whose resource list could not be read, with why; discovery failures are partial, not fatal. */
  failedGroups: Map<string, Error>;
}

interface APIResourceList {
  groupVersion?: string;
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

interface APIGroupList {
  groups?: { name: string; preferredVersion?: { groupVersion: string; version: string }; versions?: { version: string }[] }[];
}

function toResources(group: string, version: string, list: APIResourceList): DiscoveredResource[] {
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] }));
}

export async function discoverPreferredResources(client: Pick<ControllerClient, 'request'>): Promise<DiscoveryResult> {
  const failedGroups = new Map<string, Error>();
  const [core, groups] = await Promise.all([
    client.request<APIResourceList>('GET', '/api/v1').catch((e: Error) => {
      failedGroups.set('v1', e);
      return undefined;
    }),
    client.request<APIGroupList>('GET', '/apis'),
  ]);
  const resources = core ? toResources('', 'v1', core) : [];
  const lists = await Promise.all(
    (groups.groups ?? []).map(async (g) => {
      const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      if (!version) return [];
      try {
        return toResources(g.name, version, await client.request<APIResourceList>('GET', `/apis/${g.name}/${version}`));
      } catch (e) {
        failedGroups.set(`${g.name}/${version}`, e as Error);
        return [];
      }
    }),
  );
  for (const l of lists) resources.push(...l);
  return { resources, failedGroups };
}

export const hasVerbs = (r: DiscoveredResource, ...verbs: string[]): boolean => verbs.every((v) => r.verbs.includes(v));

export const refKey = (r: ResourceRef): string => `${r.group}/${r.version}/${r.resource}`;

export function groupOfApiVersion(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Maps an ownerReference's apiVersion+kind to the resource that serves it (group and kind decide; any version reaches the object). */
export class ResourceMapper {
  readonly #byGroupKind = new Map<string, DiscoveredResource>();

  constructor(resources: DiscoveredResource[]) {
    for (const r of resources) {
      const k = `${r.group}/${r.kind}`;
      // The first resource serving a kind wins, as the REST mapper's first match.
      if (!this.#byGroupKind.has(k)) this.#byGroupKind.set(k, r);
    }
  }

  resourceFor(apiVersion: string, kind: string): DiscoveredResource | undefined {
    return this.#byGroupKind.get(`${groupOfApiVersion(apiVersion)}/${kind}`);
  }
}
