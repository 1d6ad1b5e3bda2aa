// Checks an Image's spec beyond its schema (a parseable reference with a tag, absolute paths, something to run), naming each bad field.
import { fieldInvalid, fieldRequired, FieldPath, type FieldError } from '../../machinery/field-errors.ts';
import { familiarName, InvalidImageReferenceError, parseImageReference } from '../../machinery/image-reference.ts';

export interface ImageSpecFields {
  image?: unknown;
  from?: unknown;
  rootfs?: unknown;
  workingDir?: unknown;
  command?: unknown;
  args?: unknown;
  env?: { name?: unknown; value?: unknown }[];
  user?: unknown;
  mounts?: { hostPath?: unknown; containerPath?: unknown; readOnly?: unknown }[];
}

/** The familiar name pods match (`swiggy/order-service:v2.1.0`), or undefined when spec.image does not parse. */
export function imageKey(image: unknown): string | undefined {
  if (typeof image !== 'string') return undefined;
  try {
    return familiarName(parseImageReference(image));
  } catch {
    return undefined;
  }
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function validateImageSpec(spec: ImageSpecFields | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const p = FieldPath.root('spec');
  if (!spec) return [fieldRequired(p)];
  if (typeof spec.image !== 'string' || spec.image === '') errs.push(fieldRequired(p.child('image'), 'the reference pods use, e.g. shop/orders:1.0'));
  else {
    try {
      const ref = parseImageReference(spec.image);
      if (ref.digest) errs.push(fieldInvalid(p.child('image'), spec.image, 'register images by name and tag, not digest'));
    } catch (e) {
      if (!(e instanceof InvalidImageReferenceError)) throw e;
      errs.push(fieldInvalid(p.child('image'), spec.image, e.message));
    }
  }
  const absolute = (path: FieldPath, v: unknown) => {
    if (typeof v === 'string' && !v.startsWith('/')) errs.push(fieldInvalid(path, v, 'must be an absolute path'));
  };
  absolute(p.child('from'), spec.from);
  absolute(p.child('rootfs'), spec.rootfs);
  absolute(p.child('workingDir'), spec.workingDir);
  if (!spec.from && !spec.rootfs) errs.push(fieldRequired(p.child('from'), 'give the directory with the project\'s files (from) or an unpacked root filesystem (rootfs)'));
  const empty = (v: unknown) => !Array.isArray(v) || v.length === 0;
  if (empty(spec.command) && empty(spec.args)) errs.push(fieldRequired(p.child('args'), 'what containers of this image run: args (CMD) and/or command (ENTRYPOINT)'));
  const seen = new Set<string>();
  for (const [i, e] of (spec.env ?? []).entries()) {
    const name = e?.name;
    if (typeof name !== 'string' || !ENV_NAME.test(name)) {
      errs.push(fieldInvalid(p.child('env').index(i).child('name'), name, "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"));
    } else if (seen.has(name)) errs.push(fieldInvalid(p.child('env').index(i).child('name'), name, 'appears twice'));
    else seen.add(name);
  }
  for (const [i, m] of (spec.mounts ?? []).entries()) {
    absolute(p.child('mounts').index(i).child('hostPath'), m?.hostPath);
    absolute(p.child('mounts').index(i).child('containerPath'), m?.containerPath);
  }
  return errs;
}
