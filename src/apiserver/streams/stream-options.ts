// Query parameters of the streaming subresources, decoded the way the API server's parameter codec does.
import { StatusError } from '../../machinery/status-error.ts';

/** Convert_Slice_string_To_bool: absent → the default; "0" and "false" (any case) → false; anything else → true. */
export function queryBool(url: URL, name: string, fallback: boolean): boolean {
  const v = url.searchParams.get(name);
  if (v === null) return fallback;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/** An integer parameter (absent or empty → undefined), with the conversion error upstream reports. */
export function queryInt(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw StatusError.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

export interface RemoteCommandOptions {
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** PodExecOptions / PodAttachOptions (stdout and stderr default to true); tty turns stderr off as the kubelet does. */
export function remoteCommandOptions(url: URL, kind: 'exec' | 'attach'): RemoteCommandOptions {
  const tty = queryBool(url, 'tty', false);
  const o: RemoteCommandOptions = {
    container: url.searchParams.get('container') ?? '',
    command: url.searchParams.getAll('command'),
    stdin: queryBool(url, 'stdin', false),
    stdout: queryBool(url, 'stdout', true),
    stderr: queryBool(url, 'stderr', true) && !tty,
    tty,
  };
  if (!o.stdin && !o.stdout && !o.stderr) throw StatusError.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (kind === 'exec' && o.command.length === 0) throw StatusError.badRequest('you must specify at least 1 command');
  return o;
}
