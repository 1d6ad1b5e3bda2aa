// Makes sure a container's image is on the node before it starts, as the kubelet's image manager: pull policy, back-off, events, errors.
import { createHash } from 'node:crypto';
import type { ImageSpec } from './runtime/runtime.ts';
import { Backoff } from './pod-worker-backoff.ts';
import type { Container, Pod } from './pod-worker-types.ts';

/** The node's images as the agent sees them; an adapter over the runtime helper's image store. */
export interface ImageService {
  /** The image if the node has it, without fetching anything. */
  present(ref: string): Promise<ImageSpec | undefined>;
  /** Fetches (or resolves) the image; throws with the runtime's message when it cannot. */
  pull(ref: string): Promise<ImageSpec>;
}

/** A container's image could not be made available; `reason` is the waiting reason the pod shows. */
export class ImageError extends Error {
  readonly code = 'NODE_ERR_IMAGE';
  readonly reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName';
  constructor(reason: ImageError['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}

export interface EnsuredImage {
  spec: ImageSpec;
  /** The normalized reference the runtime reports (`docker.io/library/busybox:latest`). */
  image: string;
  /** `docker.io/library/busybox@sha256:…`: what status.containerStatuses[].imageID shows. */
  imageID: string;
}

type Recorder = (container: Container, type: 'Normal' | 'Warning', reason: string, message: string) => void;

/** Splits a reference into its repository and tag/digest, applying docker's defaults. */
export function normalizeImage(ref: string): { repository: string; tagged: string } {
  let name = ref;
  let suffix = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  } else {
    const slash = name.lastIndexOf('/');
    const colon = name.lastIndexOf(':');
    if (colon > slash) {
      suffix = name.slice(colon);
      name = name.slice(0, colon);
    } else suffix = ':latest';
  }
  const first = name.split('/')[0];
  const hasDomain = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let repository = name;
  if (!hasDomain) repository = name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return { repository, tagged: repository + suffix };
}

const validReference = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[a-z0-9]+:[a-f0-9]{32,})?$/;

export function imageDigest(spec: ImageSpec): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([spec.rootfs, spec.entrypoint, spec.cmd, spec.workingDir, spec.env, spec.user, spec.mounts ?? []]));
  return `sha256:${h.digest('hex')}`;
}

export class ImageManager {
  readonly #images: ImageService;
  readonly #backoff: Backoff;

  constructor(images: ImageService, backoff = new Backoff(10_000, 300_000)) {
    this.#images = images;
    this.#backoff = backoff;
  }

  /** EnsureImageExists; records Pulled/Pulling/Failed/BackOff/ErrImageNeverPull events through `record`. */
  async ensure(pod: Pod, container: Container, record: Recorder): Promise<EnsuredImage> {
    const ref = container.image ?? '';
    if (!validReference.test(ref)) {
      const msg = `Failed to apply default image tag "${ref}": couldn't parse image name "${ref}": invalid reference format`;
      record(container, 'Warning', 'InspectFailed', msg);
      throw new ImageError('InvalidImageName', msg);
    }
    const { repository, tagged } = normalizeImage(ref);
    const done = (spec: ImageSpec): EnsuredImage => ({ spec, image: tagged, imageID: `${repository}@${imageDigest(spec)}` });
    const policy = container.imagePullPolicy ?? (tagged.endsWith(':latest') ? 'Always' : 'IfNotPresent');
    const present = await this.#images.present(ref);
    if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
      if (present) {
        record(container, 'Normal', 'Pulled', `Container image "${ref}" already present on machine`);
        return done(present);
      }
      const msg = `Container image "${ref}" is not present with pull policy of Never`;
      record(container, 'Warning', 'ErrImageNeverPull', msg);
      throw new ImageError('ErrImageNeverPull', msg);
    }
    const key = `${pod.metadata.uid}_${ref}`;
    const now = this.#backoff.clock.now();
    if (this.#backoff.isInBackOffSinceUpdate(key, now)) {
      const msg = `Back-off pulling image "${ref}"`;
      record(container, 'Normal', 'BackOff', msg);
      throw new ImageError('ImagePullBackOff', msg);
    }
    record(container, 'Normal', 'Pulling', `Pulling image "${ref}"`);
    const start = performance.now();
    let spec: ImageSpec;
    try {
      spec = await this.#images.pull(ref);
    } catch (e) {
      const err = (e as Error).message;
      record(container, 'Warning', 'Failed', `Failed to pull image "${ref}": ${err}`);
      this.#backoff.next(key, this.#backoff.clock.now());
      throw new ImageError('ErrImagePull', err);
    }
    const took = goDurationFine(performance.now() - start);
    record(container, 'Normal', 'Pulled', `Successfully pulled image "${ref}" in ${took} (${took} including waiting). Image size: 0 bytes.`);
    this.#backoff.gc();
    return done(spec);
  }

  /** When the image will next be tried, for a pod waiting in ImagePullBackOff (ms since the epoch). */
  retryAt(pod: Pod, container: Container): number | undefined {
    const key = `${pod.metadata.uid}_${container.image ?? ''}`;
    const d = this.#backoff.get(key);
    return d ? this.#backoff.clock.now() + d : undefined;
  }
}

/** Go's time.Duration.String for sub-second and second durations (`412ms`, `1.5s`). */
function goDurationFine(ms: number): string {
  if (ms < 1) return `${Math.max(1, Math.round(ms * 1000))}µs`;
  if (ms < 1000) return `${Number(ms.toFixed(6)).toString()}ms`.replace(/(\.\d*?)0+ms$/, '$1ms').replace(/\.ms$/, 'ms');
  return `${Number((ms / 1000).toFixed(9)).toString()}s`;
}
