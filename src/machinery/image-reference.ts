// Parses image references as Docker and containerd do (`[domain/]path[:tag][@digest]`) and names them fully and familiarly.

export class InvalidImageReferenceError extends Error {
  readonly code = 'NODE_ERR_INVALID_IMAGE_REFERENCE';
}

export interface ImageReference {
  /** docker.io for references without a registry. */
  domain: string;
  /** library/python for docker.io's official images. */
  path: string;
  tag: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

export function parseImageReference(text: string): ImageReference {
  const invalid = () => new InvalidImageReferenceError(`couldn't parse image name "${text}": invalid reference format`);
  if (!text || text !== text.trim()) throw invalid();
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid();
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid();
  }
  const parts = rest.split('/');
  let domain = 'docker.io';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    domain = parts.shift()!;
    if (!/^[a-zA-Z0-9.-]+(?::\d+)?$/.test(domain)) throw invalid();
  }
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p))) throw invalid();
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && parts.length === 1) parts.unshift('library');
  return { domain, path: parts.join('/'), tag: tag ?? 'latest', ...(digest ? { digest } : {}) };
}

/** `docker.io/library/python:3.11`, as containerd names it in pull errors. */
export function fullName(r: ImageReference): string {
  return `${r.domain}/${r.path}:${r.tag}${r.digest ? `@${r.digest}` : ''}`;
}

/** The repository as people write it: `python`, `shop/orders`, `ghcr.io/acme/api`. */
export function familiarRepository(r: ImageReference): string {
  if (r.domain !== 'docker.io') return `${r.domain}/${r.path}`;
  return r.path.startsWith('library/') ? r.path.slice('library/'.length) : r.path;
}

/** `python:3.11`, `shop/orders:1.0`. */
export function familiarName(r: ImageReference): string {
  return `${familiarRepository(r)}:${r.tag}`;
}
