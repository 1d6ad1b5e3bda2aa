// NodeName: a pod that names a node in spec.nodeName fits only that node.
import { Status, type FilterPlugin } from '../framework.ts';

export const errReasonNodeName = "node(s) didn't match the requested node name";

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  events: ['NodeAdd'],
  filter(ctx, node) {
    const wanted = ctx.pod.spec?.nodeName;
    if (typeof wanted !== 'string' || wanted === '' || wanted === node.name) return undefined;
    return Status.unresolvable(errReasonNodeName);
  },
};
