// Adds the pods' streaming subresources (log, exec, attach, portforward), served through the node agent's NodeProxy.
import type { ApiExtension, ApiServerContext } from '../extension.ts';
import type { SubresourceHandler, SubresourceRequest } from '../registry/resource.ts';
import type { StreamDeps } from './pod-remote-command.ts';

/**
 * The stream code (SPDY, WebSocket, the remote command and port-forward protocols: most of this folder) loads with
 * the first log, exec, attach or port-forward request; discovery and routing need only what is declared here.
 */
async function loadStreams() {
  const [log, remoteCommand, portForward] = await Promise.all([import('./pod-log.ts'), import('./pod-remote-command.ts'), import('./pod-port-forward.ts')]);
  return { ...log, ...remoteCommand, ...portForward };
}

export function podStreams(): ApiExtension {
  return {
    name: 'pod-streams',
    install(ctx: ApiServerContext): void {
      const deps: StreamDeps = { nodeProxy: () => ctx.nodeProxy(), log: (msg, fields) => ctx.log(msg, fields) };
      let streams: ReturnType<typeof loadStreams> | undefined;
      const serve =
        (work: (m: Awaited<ReturnType<typeof loadStreams>>, r: SubresourceRequest) => Promise<void>) =>
        async (r: SubresourceRequest): Promise<void> =>
          work(await (streams ??= loadStreams()), r);
      const upgrading = { methods: ['GET', 'POST'], verbs: ['create', 'get'] };
      const handlers: Record<string, SubresourceHandler> = {
        log: { methods: ['GET'], verbs: ['get'], responseKind: { group: '', version: 'v1', kind: 'Pod' }, handle: serve((m, r) => m.serveLog(deps, r)) },
        exec: { ...upgrading, responseKind: { group: '', version: 'v1', kind: 'PodExecOptions' }, handle: serve((m, r) => m.serveExecOrAttach('exec', deps, r)) },
        attach: { ...upgrading, responseKind: { group: '', version: 'v1', kind: 'PodAttachOptions' }, handle: serve((m, r) => m.serveExecOrAttach('attach', deps, r)) },
        portforward: { ...upgrading, responseKind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' }, handle: serve((m, r) => m.servePortForward(deps, r)) },
      };
      const pods = ctx.registry.store('', 'pods')!.def;
      ctx.registry.add({ ...pods, subresourceHandlers: { ...(pods.subresourceHandlers ?? {}), ...handlers } });
    },
  };
}
