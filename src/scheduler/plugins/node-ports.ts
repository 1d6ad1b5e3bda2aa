// NodePorts: a pod's host ports must be free on the node (0.0.0.0 conflicts with every address).
import { Status, type FilterPlugin } from '../framework.ts';
import { podHostPorts } from '../node-info.ts';

export const errReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  events: ['NodeAdd', 'AssignedPodDelete'],
  filter(ctx, node) {
    const wanted = podHostPorts(ctx.pod);
    return wanted.some((hp) => node.portConflicts(hp)) ? Status.unschedulable(errReasonNodePorts) : undefined;
  },
};
