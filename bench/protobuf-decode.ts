// Decode cost per object of kubectl's protobuf request bodies against JSON.parse of the same objects, side by side.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KubernetesProtobufDecoder } from '../src/apiserver/protobuf/kubernetes-protobuf-decoder.ts';
import { repoRoot } from './cluster-process.ts';
import { codeBlock, table, type Section } from './report.ts';

interface Fixture {
  command: string;
  body: string;
  jsonFromKubectl131?: unknown;
}

const fixtures = ['create-deployment.json', 'create-service-nodeport.json', 'create-configmap.json', 'create-namespace.json', 'create-secret-generic.json', 'autoscale-v2.json'];

/** Runs `fn` for about `ms` and returns nanoseconds per call (after a warm-up of the same length). */
function perCall(fn: () => void, ms = 400): number {
  for (const end = performance.now() + ms; performance.now() < end; ) fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    t = performance.now();
  }
  return ((t - t0) * 1e6) / n;
}

export async function measureProtobufDecode(): Promise<Section> {
  const dir = join(repoRoot, 'src/apiserver/protobuf/fixtures');
  const have = new Set(await readdir(dir));
  const decoder = new KubernetesProtobufDecoder();
  const rows: string[][] = [];
  let ratios: number[] = [];
  for (const f of fixtures.filter((x) => have.has(x))) {
    const fx = JSON.parse(await readFile(join(dir, f), 'utf8')) as Fixture;
    if (fx.jsonFromKubectl131 === undefined) continue;
    const pb = Buffer.from(fx.body, 'base64');
    const json = Buffer.from(JSON.stringify(fx.jsonFromKubectl131));
    decoder.decode(pb);
    const pbNs = perCall(() => decoder.decode(pb));
    const jsonNs = perCall(() => JSON.parse(json.toString('utf8')));
    ratios.push(pbNs / jsonNs);
    rows.push([`\`${fx.command}\``, `${pb.length} B`, `${json.length} B`, `${(pbNs / 1000).toFixed(1)} µs`, `${(jsonNs / 1000).toFixed(1)} µs`, `${(pbNs / jsonNs).toFixed(1)}×`]);
  }
  ratios = ratios.sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)] ?? NaN;
  return {
    name: 'protobuf-decode',
    title: 'Protobuf vs JSON request decoding',
    headlines: [
      {
        figure: 'protobuf body decode vs JSON.parse of the same object (median over kinds)',
        measured: `${median.toFixed(1)}×`,
        goal: '(none set)',
        vsGoal: '',
        baseline: 'JSON.parse',
        vsBaseline: `${median.toFixed(1)}×`,
      },
    ],
    body: [
      'The bodies kubectl 1.33 sent for these commands (captured fixtures in `src/apiserver/protobuf/fixtures/`), decoded by ' +
        "dabba's protobuf decoder into the JSON shape, against `JSON.parse` of the JSON body kubectl 1.31 sent for the same " +
        'command (V8\'s native parser: the floor). Each figure is the mean over ~0.4 s of back-to-back decodes after a warm-up.',
      '',
      ...codeBlock(['node bench/run.ts --only protobuf-decode']),
      '',
      ...table(['command', 'protobuf body', 'JSON body', 'protobuf decode', 'JSON.parse', 'ratio'], rows),
      '',
      'Either way a request spends far longer in validation, storage and the network than in decoding (write p50 is in milliseconds).',
    ],
  };
}
