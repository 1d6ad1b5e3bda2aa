// Measures read throughput: GET of one object and LIST of 100 objects over concurrent keep-alive connections (closed loop).
import { ApiClient, configMap, readCredentials } from './api-client.ts';
import type { ClusterProcess } from './cluster-process.ts';
import { cpuShareDuring } from './proc-stats.ts';
import { ms, perSecond, summarize, type Summary } from './percentiles.ts';
import { codeBlock, table, type Section } from './report.ts';

const seconds = 5;
const getConcurrency = 16;
const listConcurrency = 8;
const listNamespace = 'bench-list';
const listObjects = 100;
const getPath = '/api/v1/namespaces/default/configmaps/bench-get';
const listPath = `/api/v1/namespaces/${listNamespace}/configmaps`;

interface LoadResult {
  rps: number;
  ok: number;
  errors: number;
  firstError: string;
  latency: Summary;
  serverCpu: number;
}

/** `concurrency` workers, each on its own keep-alive connection, send back-to-back GETs for `seconds`. */
async function closedLoop(server: ClusterProcess, client: ApiClient, path: string, concurrency: number): Promise<LoadResult> {
  // Warm-up: opens every connection and lets the JIT see the path.
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = 0; i < 10; i++) await client.send('GET', path);
  }));
  const latencies: number[] = [];
  let errors = 0;
  let firstError = '';
  const { result: elapsed, cpu } = await cpuShareDuring(server.pid, async () => {
    const t0 = performance.now();
    const deadline = t0 + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const s = performance.now();
        try {
          const r = await client.send('GET', path);
          if (r.status === 200) latencies.push(performance.now() - s);
          else {
            errors++;
            firstError ||= `HTTP ${r.status}: ${r.body.slice(0, 200)}`;
          }
        } catch (e) {
          errors++;
          firstError ||= String(e);
        }
      }
    }));
    return (performance.now() - t0) / 1000;
  });
  return { rps: latencies.length / elapsed, ok: latencies.length, errors, firstError, latency: summarize(latencies), serverCpu: cpu };
}

export async function measureReadThroughput(server: ClusterProcess): Promise<Section> {
  const client = new ApiClient(await readCredentials(server.kubeconfig), Math.max(getConcurrency, listConcurrency));
  let get: LoadResult;
  let list: LoadResult;
  let listed: number;
  let listBytes: number;
  try {
    await client.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: listNamespace } });
    for (let i = 0; i < listObjects; i++) await client.json('POST', listPath, configMap(`bench-list-${i}`, listNamespace));
    await client.json('POST', '/api/v1/namespaces/default/configmaps', configMap('bench-get'));
    const one = await client.send('GET', listPath);
    listed = (JSON.parse(one.body) as { items: unknown[] }).items.length;
    listBytes = Buffer.byteLength(one.body);
    get = await closedLoop(server, client, getPath, getConcurrency);
    list = await closedLoop(server, client, listPath, listConcurrency);
  } finally {
    client.close();
  }
  const row = (what: string, c: number, r: LoadResult) => [
    what,
    String(c),
    perSecond(r.rps),
    ms(r.latency.p50),
    ms(r.latency.p99),
    String(r.ok),
    String(r.errors),
    `${(r.serverCpu * 100).toFixed(0)}% of a core`,
  ];
  return {
    name: 'read-throughput',
    title: 'Read throughput',
    headlines: [
      { figure: `GET one ConfigMap, ${getConcurrency} connections`, measured: perSecond(get.rps), goal: '(none set)', vsGoal: '', baseline: '', vsBaseline: '' },
      { figure: `LIST ${listed} ConfigMaps, ${listConcurrency} connections`, measured: perSecond(list.rps), goal: '(none set)', vsGoal: '', baseline: '', vsBaseline: '' },
    ],
    body: [
      `Closed loop for ${seconds} s each: every worker holds one keep-alive TLS connection and sends its next request as soon as ` +
        'the previous one has been read in full; 10 unmeasured requests per worker first. GET reads one ~1 KiB ConfigMap; LIST reads ' +
        `namespace \`${listNamespace}\`, created for it with ${listObjects} ~1 KiB ConfigMaps (the namespace controllers may add their own, ` +
        `so one LIST returned ${listed} items, ${(listBytes / 1024).toFixed(0)} KiB of JSON). Run on the same server as the write figure, after it.`,
      '',
      ...codeBlock(['node bench/run.ts --only read-throughput', server.command, `# GET ${getPath}`, `# GET ${listPath}`]),
      '',
      ...table(
        ['request', 'connections', 'throughput', 'p50', 'p99', 'ok', 'errors', 'server CPU'],
        [row(`GET ${getPath}`, getConcurrency, get), row(`GET ${listPath} (${listed} items)`, listConcurrency, list)],
      ),
      '',
      ...[get, list].filter((r) => r.errors > 0).map((r) => `First error: ${r.firstError}`),
      'The load generator is one node process on the same machine, so it competes with the server for the cores; ' +
        'the server\'s CPU share shows how close it came to saturating its single JavaScript thread.',
    ],
  };
}
