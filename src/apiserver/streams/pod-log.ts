// `GET pods/{name}/log`: validates PodLogOptions as upstream and streams the node agent's log text (chunked, flushed as it comes).
import type { Readable } from 'node:stream';
import { StatusError } from '../../machinery/status-error.ts';
import { fieldForbidden, fieldInvalid, type FieldError } from '../../machinery/field-errors.ts';
import type { LogOptions } from '../node-proxy.ts';
import type { SubresourceRequest } from '../registry/resource.ts';
import { chooseContainer, getPod, nodeUnreachable, streamTarget } from './pod-target.ts';
import type { StreamDeps } from './pod-remote-command.ts';
import { queryBool, queryInt } from './stream-options.ts';

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** PodLogOptions from the query, checked as ValidatePodLogOptions does. */
export function logOptions(url: URL, podName: string): Omit<LogOptions, 'container'> & { container: string } {
  const tailLines = queryInt(url, 'tailLines');
  const sinceSeconds = queryInt(url, 'sinceSeconds');
  const limitBytes = queryInt(url, 'limitBytes');
  const sinceTime = url.searchParams.get('sinceTime') || undefined;
  if (sinceTime !== undefined && !rfc3339.test(sinceTime)) {
    throw StatusError.badRequest(`parsing time ${JSON.stringify(sinceTime)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(sinceTime)} as "2006"`);
  }
  const errs: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0) errs.push(fieldInvalid('tailLines', tailLines, 'must be greater than or equal to 0'));
  if (limitBytes !== undefined && limitBytes < 1) errs.push(fieldInvalid('limitBytes', limitBytes, 'must be greater than 0'));
  if (sinceSeconds !== undefined && sinceTime !== undefined) errs.push(fieldForbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  else if (sinceSeconds !== undefined && sinceSeconds < 1) errs.push(fieldInvalid('sinceSeconds', sinceSeconds, 'must be greater than 0'));
  if (errs.length) throw StatusError.invalid({ group: '', kind: 'PodLogOptions' }, podName, errs);
  return {
    container: url.searchParams.get('container') ?? '',
    follow: queryBool(url, 'follow', false),
    previous: queryBool(url, 'previous', false),
    timestamps: queryBool(url, 'timestamps', false),
    tailLines,
    sinceSeconds,
    sinceTime,
    limitBytes,
  };
}

function stream(r: SubresourceRequest, body: Readable | undefined): void {
  const res = r.res;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  if (!body) {
    res.end();
    return;
  }
  // The client hanging up (kubectl logs -f interrupted) ends the node agent's stream too.
  res.on('close', () => body.destroy());
  body.on('error', () => res.destroy());
  body.pipe(res);
}

/** Serves `GET pods/{name}/log` (the pods/log SubresourceHandler's work). */
export async function serveLog(deps: StreamDeps, r: SubresourceRequest): Promise<void> {
  const opts = logOptions(r.url, r.name);
  const pod = await getPod(r);
  const container = chooseContainer(pod, opts.container, true);
  // Upstream's LogLocation has no location for a pod without a node: the log is simply empty.
  if (!pod.nodeName) return stream(r, undefined);
  const proxy = deps.nodeProxy();
  if (!proxy) throw nodeUnreachable(pod.nodeName);
  const body = await proxy.logs(streamTarget(pod, container), { ...opts, container });
  stream(r, body);
}
