// The Image API (`images.dabba.dev`): installs its CRD at start and refuses Images whose spec the node could never run, or that reuse another Image's reference.
import { FieldError, FieldPath } from '../../machinery/field-errors.ts';
import { StatusError } from '../../machinery/status-error.ts';
import { installBundledCrds } from '../bundled-crd-installer.ts';
import type { ApiExtension } from '../extension.ts';
import { imageCrd, imageGroup, imageResource } from './image-crd.ts';
import { imageKey, validateImageSpec, type ImageSpecFields } from './image-validation.ts';

export function imageApi(): ApiExtension {
  return {
    name: 'dabba-images',
    install(ctx) {
      ctx.addAdmission({
        name: 'images.dabba.dev',
        async admit(_op, def, obj) {
          if (def.group !== imageGroup || def.resource !== imageResource) return;
          const gk = { group: imageGroup, kind: 'Image' };
          const name = obj.metadata.name ?? '';
          const spec = (obj as { spec?: ImageSpecFields }).spec;
          const errs = validateImageSpec(spec);
          if (errs.length) throw StatusError.invalid(gk, name, errs);
          const key = imageKey(spec?.image);
          const store = ctx.registry.store(imageGroup, imageResource);
          if (!key || !store) return;
          const others = await store.list(undefined, {});
          const clash = others.items.find((o) => o.metadata.name !== name && imageKey((o as { spec?: ImageSpecFields }).spec?.image) === key);
          if (clash) {
            const dup = new FieldError('FieldValueDuplicate', FieldPath.root('spec').child('image'), spec?.image, `Image "${clash.metadata.name}" already registers ${key}`);
            throw StatusError.invalid(gk, name, [dup]);
          }
        },
      });
      ctx.onStart(async () => {
        await installBundledCrds(ctx, [imageCrd()]);
      });
    },
  };
}
