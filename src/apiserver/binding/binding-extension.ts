// Adds the pods/binding subresource to the core pods resource, through which the scheduler assigns pods to nodes.
import type { ApiExtension, ApiServerContext } from '../extension.ts';
import { podBindingHandler } from './pod-binding.ts';

export function podBindingExtension(): ApiExtension {
  return {
    name: 'pod-binding',
    install(ctx: ApiServerContext): void {
      const pods = ctx.registry.store('', 'pods')!.def;
      ctx.registry.add({ ...pods, subresourceHandlers: { ...(pods.subresourceHandlers ?? {}), binding: podBindingHandler() } });
    },
  };
}
