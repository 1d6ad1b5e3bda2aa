// The node's image store: resolves a pod's `image` and `imagePullPolicy` to an ImageSpec from registered records and built-ins, failing as the kubelet does.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { ImageSpec } from '../runtime/runtime.ts';
import { BUILTIN_REPOSITORIES, builtinImage, findHostBinaries, type BuiltinRepository, type BuiltinResult, type HostBinaries } from './builtin-images.ts';
import { familiarName, familiarRepository, fullName, InvalidImageReferenceError, parseImageReference, type ImageReference } from '../../machinery/image-reference.ts';
import { IMAGE_API_VERSION, validateImageRecord, type ImageRecord } from './image-record.ts';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** The kubelet's waiting reasons for image trouble. */
export type ImageErrorReason = 'ErrImagePull' | 'ErrImageNeverPull' | 'InvalidImageName';

export class ImagePullError extends Error {
  readonly code = 'NODE_ERR_IMAGE_PULL';
  readonly reason: ImageErrorReason;
  readonly image: string;
  constructor(reason: ImageErrorReason, image: string, message: string, cause?: unknown) {
    super(message, { cause });
    this.reason = reason;
    this.image = image;
  }
}

/** The waiting message while the kubelet backs off after ErrImagePull (reason ImagePullBackOff). */
export function imagePullBackOffMessage(image: string): string {
  return `Back-off pulling image ${JSON.stringify(image)}`;
}

/** The event the kubelet records for a failed pull: `Failed to pull image "x": <message>`. */
export function failedToPullMessage(image: string, err: ImagePullError): string {
  return `Failed to pull image ${JSON.stringify(image)}: ${err.message}`;
}

export interface ImageStoreOptions {
  dataDir: string;
  host?: HostBinaries;
  /** Images registered through the API (`images.dabba.dev`); they take precedence over files and built-ins. */
  published?: { get(image: string): { record: ImageRecord; object: string } | undefined };
}

export interface ImageListEntry {
  name: string;
  builtin: boolean;
  available: boolean;
  description: string;
}

export class ImageStore {
  readonly dir: string;
  readonly #host: HostBinaries;
  /** Built-in images by repository and tag: made from the host's binaries once, not once per pod (python's asks python for its version). */
  readonly #builtins = new Map<string, Promise<BuiltinResult>>();
  readonly #published: ImageStoreOptions['published'];

  constructor(options: ImageStoreOptions) {
    this.dir = join(resolve(options.dataDir), 'images');
    this.#host = options.host ?? findHostBinaries();
    this.#published = options.published;
  }

  #file(ref: ImageReference): string {
    return join(this.dir, familiarRepository(ref), `${ref.tag}.json`);
  }

  /** The ImageSpec for a container, or the kubelet's error for this image and pull policy. */
  async resolve(image: string, pullPolicy: PullPolicy = 'IfNotPresent'): Promise<ImageSpec> {
    let ref: ImageReference;
    try {
      ref = parseImageReference(image);
    } catch (e) {
      const msg = e instanceof InvalidImageReferenceError ? e.message : String(e);
      throw new ImagePullError('InvalidImageName', image, `Failed to apply default image tag ${JSON.stringify(image)}: ${msg}`, e);
    }
    const found = await this.#lookup(ref);
    if ('record' in found) return toImageSpec(image, found.record);
    if (pullPolicy === 'Never') {
      throw new ImagePullError('ErrImageNeverPull', image, `Container image ${JSON.stringify(image)} is not present with pull policy of Never`);
    }
    throw new ImagePullError('ErrImagePull', image, `failed to pull and unpack image ${JSON.stringify(fullName(ref))}: ${found.why}`);
  }

  /** The image if this node has it (a registered record or a built-in this host can run); never fails for a missing one. */
  async present(image: string): Promise<ImageSpec | undefined> {
    try {
      return await this.resolve(image, 'Never');
    } catch (e) {
      if (e instanceof ImagePullError && e.reason === 'ErrImageNeverPull') return undefined;
      throw e;
    }
  }

  /** What a pull does here: resolve again from the store (there is no registry to fetch from). */
  pull(image: string): Promise<ImageSpec> {
    return this.resolve(image, 'Always');
  }

  #builtin(repo: BuiltinRepository, tag: string): Promise<BuiltinResult> {
    const key = `${repo}:${tag}`;
    let b = this.#builtins.get(key);
    if (!b) {
      b = builtinImage(repo, tag, this.#host, join(this.dir, '.builtin'));
      this.#builtins.set(key, b);
      b.catch(() => this.#builtins.delete(key));
    }
    return b;
  }

  async #lookup(ref: ImageReference): Promise<{ record: ImageRecord } | { why: string }> {
    const published = this.#published?.get(familiarName(ref));
    if (published) {
      for (const p of [published.record.rootfs, ...published.record.mounts.map((m) => m.hostPath)]) {
        if (!(await stat(p).then(() => true, () => false))) {
          return { why: `Image ${JSON.stringify(published.object)} (images.dabba.dev) registers it from ${p}, which does not exist on this node` };
        }
      }
      return { record: published.record };
    }
    const registered = await this.get(ref);
    if (registered) return { record: registered };
    const repo = familiarRepository(ref);
    if ((BUILTIN_REPOSITORIES as readonly string[]).includes(repo)) {
      const b = await this.#builtin(repo as BuiltinRepository, ref.tag);
      if ('record' in b) return b;
      return {
        why: `dabba's built-in ${repo} image runs the host's ${b.unavailable.missing}, which is not installed here (${b.unavailable.fix}); or register your own: dabba image add ${familiarName(ref)} --from DIR --cmd ...`,
      };
    }
    return {
      why: `dabba does not pull from registries and ${JSON.stringify(familiarName(ref))} is not in this node's image store (built in: ${BUILTIN_REPOSITORIES.join(', ')}); register it with: dabba image add ${familiarName(ref)} --from DIR --cmd COMMAND...`,
    };
  }

  /** A registered record, if any. */
  async get(ref: ImageReference): Promise<ImageRecord | undefined> {
    const text = await readFile(this.#file(ref), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    return validateImageRecord(JSON.parse(text));
  }

  /** Registers (or replaces) an image; its host paths must exist now. */
  async add(input: Omit<ImageRecord, 'apiVersion' | 'kind' | 'repository' | 'tag' | 'createdAt'> & { name: string }): Promise<ImageRecord> {
    const ref = parseImageReference(input.name);
    if (ref.digest) throw new InvalidImageReferenceError(`register images by name and tag, not digest: "${input.name}"`);
    const { name: _name, ...rest } = input;
    const rec = validateImageRecord({
      apiVersion: IMAGE_API_VERSION,
      kind: 'Image',
      repository: familiarRepository(ref),
      tag: ref.tag,
      ...rest,
      createdAt: new Date().toISOString(),
    });
    for (const p of [rec.rootfs, ...rec.mounts.map((m) => m.hostPath)]) {
      await stat(p).catch((e) => {
        throw new InvalidImageReferenceError(`image ${familiarName(ref)}: ${p} does not exist`, { cause: e });
      });
    }
    const file = this.#file(ref);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.tmp`, JSON.stringify(rec, null, 2) + '\n');
    await rename(`${file}.tmp`, file);
    return rec;
  }

  async remove(name: string): Promise<boolean> {
    const ref = parseImageReference(name);
    const file = this.#file(ref);
    const existed = await stat(file).then(() => true, () => false);
    await rm(file, { force: true });
    return existed;
  }

  /** Registered images, then the built-ins with whether this host can run them. */
  async list(): Promise<ImageListEntry[]> {
    const out: ImageListEntry[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (e.name.startsWith('.')) continue;
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.name.endsWith('.json')) {
          try {
            const rec = validateImageRecord(JSON.parse(await readFile(p, 'utf8')));
            out.push({ name: `${rec.repository}:${rec.tag}`, builtin: false, available: true, description: rec.description ?? describe(rec) });
          } catch (err) {
            out.push({ name: relative(this.dir, p), builtin: false, available: false, description: (err as Error).message });
          }
        }
      }
    };
    await walk(this.dir);
    out.sort((a, b) => a.name.localeCompare(b.name));
    for (const repo of BUILTIN_REPOSITORIES) {
      const b = await builtinImage(repo, '*', this.#host, join(this.dir, '.builtin'), false);
      out.push('record' in b
        ? { name: `${repo}:*`, builtin: true, available: true, description: b.record.description ?? '' }
        : { name: `${repo}:*`, builtin: true, available: false, description: `needs ${b.unavailable.missing}: ${b.unavailable.fix}` });
    }
    return out;
  }
}

function describe(r: ImageRecord): string {
  const from = r.mounts.map((m) => `${m.hostPath} → ${m.containerPath}`).join(', ');
  return `${r.rootfs === '/' ? 'host root' : r.rootfs}${from ? ` + ${from}` : ''}; ${[...r.entrypoint, ...r.cmd].join(' ')}`;
}

export function toImageSpec(ref: string, r: ImageRecord): ImageSpec {
  return {
    ref,
    rootfs: r.rootfs,
    entrypoint: [...r.entrypoint],
    cmd: [...r.cmd],
    workingDir: r.workingDir,
    env: { ...r.env },
    user: r.user,
    mounts: r.mounts.map((m) => ({ hostPath: m.hostPath, containerPath: m.containerPath, readOnly: m.readOnly })),
  };
}
