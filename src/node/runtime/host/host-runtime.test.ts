// Runs the runtime conformance suite against the host runtime: plain processes, each pod on its own loopback address.
import { runtimeConformance } from '../runtime.conformance.ts';
import { HostRuntime } from './host-runtime.ts';

const root = process.getuid?.() === 0;

runtimeConformance({
  name: 'host',
  create: (dataDir) => new HostRuntime({ dataDir }),
  features: { mounts: false, readOnlyRoot: false, memoryLimits: root, runAsUser: root, podNetwork: false },
});
