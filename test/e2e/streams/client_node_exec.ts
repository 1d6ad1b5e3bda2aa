// Drives exec with @kubernetes/client-node (WebSocket, it offers v5…channel.k8s.io): output, stdin and the final Status.
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';

const [kubeconfig, pod, namespace] = process.argv.slice(2);
const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfig);
const exec = new k8s.Exec(kc);

async function run(command: string[], input?: string): Promise<{ out: string; err: string; status: k8s.V1Status }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const stdin = input === undefined ? null : new PassThrough();
  const status = await new Promise<k8s.V1Status>((resolve, reject) => {
    exec.exec(namespace, pod, 'app', command, stdout, stderr, stdin, false, resolve).catch(reject);
    if (stdin) stdin.end(input);
  });
  await new Promise((r) => setTimeout(r, 50));
  return { out, err, status };
}

const a = await run(['sh', '-c', 'echo node-out; echo node-err >&2']);
if (a.out !== 'node-out\n' || a.err !== 'node-err\n' || a.status.status !== 'Success') throw new Error(`unexpected: ${JSON.stringify(a)}`);
const b = await run(['sh', '-c', 'exit 5']);
if (b.status.status !== 'Failure' || b.status.reason !== 'NonZeroExitCode' || b.status.details?.causes?.[0]?.message !== '5') {
  throw new Error(`unexpected: ${JSON.stringify(b)}`);
}
const c = await run(['cat'], 'from-stdin\n');
if (c.out !== 'from-stdin\n' || c.status.status !== 'Success') throw new Error(`unexpected: ${JSON.stringify(c)}`);
console.log('client-node exec ok');
