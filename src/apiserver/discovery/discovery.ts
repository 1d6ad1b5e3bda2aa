// Legacy and aggregated (apidiscovery.k8s.io v2 / v2beta1) discovery documents built from the resource definitions.
import type { ResourceDefinition } from '../registry/resource.ts';

interface GroupVersionResources {
  group: string;
  version: string;
  defs: ResourceDefinition[];
}

export const aggregatedContentType = (v: 'v2' | 'v2beta1') =>
  `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;

const subresourceVerbs = ['get', 'patch', 'update'];

export class Discovery {
  readonly #groups: Map<string, GroupVersionResources[]> = new Map();
  readonly #order: string[] = [];

  constructor(defs: ResourceDefinition[], groupOrder: string[]) {
    for (const g of groupOrder) this.#order.push(g);
    for (const def of defs) {
      if (!this.#groups.has(def.group)) {
        this.#groups.set(def.group, []);
        if (!this.#order.includes(def.group)) this.#order.push(def.group);
      }
      const versions = this.#groups.get(def.group)!;
      for (const v of def.versions) {
        let gv = versions.find((x) => x.version === v.version);
        if (!gv) {
          gv = { group: def.group, version: v.version, defs: [] };
          versions.push(gv);
        }
        gv.defs.push(def);
      }
    }
    for (const versions of this.#groups.values()) versions.sort((a, b) => versionPriority(b.version) - versionPriority(a.version));
  }

  hasGroupVersion(group: string, version: string): boolean {
    return !!this.#groups.get(group)?.some((v) => v.version === version);
  }

  apiVersions(serverAddress: string): object {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }

  #groupObject(group: string): object {
    const versions = this.#groups.get(group)!;
    const gvs = versions.map((v) => ({ groupVersion: `${group}/${v.version}`, version: v.version }));
    return { name: group, versions: gvs, preferredVersion: gvs[0] };
  }

  apiGroupList(): object {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.#order.filter((g) => g !== '' && this.#groups.has(g)).map((g) => this.#groupObject(g)),
    };
  }

  apiGroup(group: string): object | undefined {
    if (!group || !this.#groups.has(group)) return undefined;
    return { kind: 'APIGroup', apiVersion: 'v1', ...this.#groupObject(group) };
  }

  resourceList(group: string, version: string): object | undefined {
    const gv = this.#groups.get(group)?.find((v) => v.version === version);
    if (!gv) return undefined;
    const resources: object[] = [];
    for (const d of gv.defs) {
      const r: Record<string, unknown> = {
        name: d.resource,
        singularName: d.singular,
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: d.verbs,
      };
      if (d.shortNames?.length) r.shortNames = d.shortNames;
      if (d.categories?.length) r.categories = d.categories;
      resources.push(r);
      if (d.subresources.status) {
        resources.push({ name: `${d.resource}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: subresourceVerbs });
      }
      if (d.subresources.scale) {
        resources.push({
          name: `${d.resource}/scale`,
          singularName: '',
          namespaced: d.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: subresourceVerbs,
        });
      }
      if (d.kind === 'Namespace' && d.group === '') {
        resources.push({ name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] });
      }
      for (const [sub, h] of Object.entries(d.subresourceHandlers ?? {})) {
        const rk = h.responseKind;
        resources.push({
          name: `${d.resource}/${sub}`,
          singularName: '',
          namespaced: d.namespaced,
          ...(rk && rk.group !== group ? { group: rk.group } : {}),
          ...(rk && (rk.group !== group || rk.version !== version) ? { version: rk.version } : {}),
          kind: rk?.kind ?? d.kind,
          verbs: h.verbs,
        });
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
  }

  /** The aggregated document for `/api` (core only) or `/apis` (every named group). */
  aggregated(core: boolean, v: 'v2' | 'v2beta1'): object {
    const groups = core ? [''] : this.#order.filter((g) => g !== '' && this.#groups.has(g));
    return {
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${v}`,
      metadata: {},
      items: groups.map((g) => ({
        metadata: g ? { name: g, creationTimestamp: null } : { creationTimestamp: null },
        versions: this.#groups.get(g)!.map((gv) => ({
          version: gv.version,
          resources: gv.defs.map((d) => {
            const r: Record<string, unknown> = {
              resource: d.resource,
              responseKind: { group: d.group, version: gv.version, kind: d.kind },
              scope: d.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: d.singular,
              verbs: d.verbs,
            };
            if (d.shortNames?.length) r.shortNames = d.shortNames;
            if (d.categories?.length) r.categories = d.categories;
            const subs: object[] = [];
            if (d.subresources.scale) {
              subs.push({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: subresourceVerbs });
            }
            if (d.subresources.status) {
              subs.push({ subresource: 'status', responseKind: { group: d.group, version: gv.version, kind: d.kind }, verbs: subresourceVerbs });
            }
            if (d.kind === 'Namespace' && d.group === '') {
              subs.push({ subresource: 'finalize', responseKind: { group: '', version: 'v1', kind: 'Namespace' }, verbs: ['update'] });
            }
            for (const [sub, h] of Object.entries(d.subresourceHandlers ?? {})) {
              subs.push({ subresource: sub, responseKind: h.responseKind ?? { group: d.group, version: gv.version, kind: d.kind }, verbs: h.verbs });
            }
            if (subs.length) r.subresources = subs;
            return r;
          }),
          freshness: 'Current',
        })),
      })),
    };
  }
}

/** Kubernetes version ordering: GA > beta > alpha, higher numbers first. */
export function versionPriority(v: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return 0;
  const major = Number(m[1]);
  const level = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
  return level * 1_000_000 + major * 1000 + (m[3] ? Number(m[3]) : 0);
}
