// Connects the Service allocator to the generic store: allocate before writes, release after deletes.
import type { ResourceHooks } from '../../../registry/strategy.ts';
import { ServiceAllocator } from './allocator.ts';

export function serviceHooks(opts: { serviceCIDR: string; nodePortRange?: [number, number] }): ResourceHooks {
  const allocator = new ServiceAllocator({ serviceCIDR: opts.serviceCIDR, nodePortRange: opts.nodePortRange });
  return {
    load: (items) => allocator.load(items),
    beforeCreate: (obj) => allocator.allocate(obj),
    beforeUpdate: (obj, old) => allocator.allocate(obj, old),
    afterDelete: (obj) => allocator.release(obj),
  };
}
