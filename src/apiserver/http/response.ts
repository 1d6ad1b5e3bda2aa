// Writing JSON/YAML replies, Status errors and Warning headers; reading request bodies with a size limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringifyYaml } from './yaml-codec.ts';
import { StatusError } from '../../machinery/status-error.ts';

const maxBody = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > maxBody) throw new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** `Warning: 299 - "text"` as upstream formats it. */
export function warningHeaders(warnings: string[]): string[] {
  return [...new Set(warnings)].map((w) => `299 - ${JSON.stringify(w)}`);
}

export function writeJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  warnings: string[] = [],
  yaml = false,
  contentType?: string,
): void {
  const text = yaml ? stringifyYaml(body) : JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    'Content-Type': contentType ?? (yaml ? 'application/yaml' : 'application/json'),
    'Cache-Control': 'no-cache, private',
    'Content-Length': String(Buffer.byteLength(text)),
  };
  if (warnings.length) headers.Warning = warningHeaders(warnings);
  res.writeHead(code, headers);
  res.end(text);
}

export function writeStatus(res: ServerResponse, err: StatusError, warnings: string[] = []): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  writeJson(res, err.code, err.toStatus(), warnings);
}
