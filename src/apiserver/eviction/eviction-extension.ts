// Adds the Eviction subresource to pods (what `kubectl drain` posts to).
import type { ApiExtension, ApiServerContext } from '../extension.ts';
import { podEvictionHandler } from './pod-eviction.ts';

export function podEviction(): ApiExtension {
  return {
    name: 'pod-eviction',
    install(ctx: ApiServerContext): void {
      const pods = ctx.registry.store('', 'pods')!.def;
      ctx.registry.add({ ...pods, subresourceHandlers: { ...(pods.subresourceHandlers ?? {}), eviction: podEvictionHandler() } });
    },
  };
}
