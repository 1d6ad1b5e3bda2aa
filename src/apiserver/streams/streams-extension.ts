// Adds the pods' streaming subresources (log, exec, attach, portforward), served through the node agent's NodeProxy.
import type { ApiExtension, ApiServerContext } from '../extension.ts';
import { podLogHandler } from './pod-log.ts';
import { podPortForwardHandler } from './pod-port-forward.ts';
import { remoteCommandHandler, type StreamDeps } from './pod-remote-command.ts';

export function podStreams(): ApiExtension {
  return {
    name: 'pod-streams',
    install(ctx: ApiServerContext): void {
      const deps: StreamDeps = { nodeProxy: () => ctx.nodeProxy(), log: (msg, fields) => ctx.log(msg, fields) };
      const pods = ctx.registry.store('', 'pods')!.def;
      ctx.registry.add({
        ...pods,
        subresourceHandlers: {
          ...(pods.subresourceHandlers ?? {}),
          log: podLogHandler(deps),
          exec: remoteCommandHandler('exec', deps),
          attach: remoteCommandHandler('attach', deps),
          portforward: podPortForwardHandler(deps),
        },
      });
    },
  };
}
