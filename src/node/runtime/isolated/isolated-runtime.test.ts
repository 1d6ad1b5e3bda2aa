// Runs the runtime conformance suite against the isolated runtime (crun, and runc when installed), when this host can run it.
import { chooseRuntime, probeHost } from '../select-runtime.ts';
import { runtimeConformance } from '../runtime.conformance.ts';
import { IsolatedRuntime } from './isolated-runtime.ts';

const probe = await probeHost();
let skip: string | undefined;
try {
  if (chooseRuntime('isolated', probe).kind !== 'isolated') skip = 'the isolated runtime is not available';
} catch (e) {
  skip = (e as Error).message;
}

// A pod and service range of their own, so a dabba on the default ranges can run next to the tests.
const ranges = { podCIDR: '10.252.0.0/16', serviceCIDR: '10.253.0.0/24' };
const features = { mounts: true, readOnlyRoot: true, memoryLimits: true, runAsUser: true, podNetwork: true };

for (const oci of ['crun', 'runc'] as const) {
  runtimeConformance({
    name: `isolated (${oci})`,
    skip: skip ?? (probe.tools[oci] ? undefined : `${oci} is not installed`),
    create: (dataDir) => new IsolatedRuntime({ dataDir, ociRuntime: oci, cniBinDir: probe.cniDir, ...ranges }),
    features,
  });
}
