// Measures watch fan-out: 1,000 concurrent watchers, then single changes, timing each event's delivery to every watcher.
import { request } from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, configMap, readCredentials } from './api-client.ts';
import type { ClusterProcess } from './cluster-process.ts';
import { memoryOf } from './proc-stats.ts';
import { mib, ms, ratio, summarize } from './percentiles.ts';
import { codeBlock, table, type Section } from './report.ts';

const watchers = 1000;
const changes = 20;
const changeEveryMs = 250;
const connectBatch = 50;
const goalP99Ms = 100;
const collectionPath = '/api/v1/namespaces/default/configmaps';
const probeName = 'bench-watch-probe';
const changeName = (i: number) => `bench-watch-${i}`;

/** One watch connection; it only timestamps raw chunks while the changes run, and parses them afterwards. */
class Watcher {
  readonly chunks: { t: number; data: Buffer }[] = [];
  req: ClientRequest | undefined;
  sawProbe = false;
  closed = false;

  /** Arrival time of each ADDED event, by object name (time of the chunk that completed the event's line). */
  arrivals(): Map<string, number> {
    const out = new Map<string, number>();
    let pending = '';
    for (const { t, data } of this.chunks) {
      pending += data.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!line.trim()) continue;
        const ev = JSON.parse(line) as { type: string; object: { metadata?: { name?: string } } };
        const name = ev.object.metadata?.name;
        if (ev.type === 'ADDED' && name && !out.has(name)) out.set(name, t);
      }
    }
    return out;
  }
}

function openWatch(client: ApiClient, path: string, w: Watcher, probeMarker: Buffer, onProbe: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(client.options('GET', path), (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`watch: HTTP ${res.statusCode}`));
        return;
      }
      res.on('data', (data: Buffer) => {
        const t = performance.now();
        w.chunks.push({ t, data });
        if (!w.sawProbe && data.includes(probeMarker)) {
          w.sawProbe = true;
          onProbe();
        }
      });
      res.on('close', () => (w.closed = true));
      res.on('error', () => (w.closed = true));
      resolve();
    });
    w.req = req;
    req.on('error', (e) => {
      w.closed = true;
      reject(e);
    });
    req.end();
  });
}

export async function measureWatchFanout(server: ClusterProcess): Promise<Section> {
  const creds = await readCredentials(server.kubeconfig);
  const writer = new ApiClient(creds, 4);
  const watchClient = new ApiClient(creds, watchers + 10);
  const ws = Array.from({ length: watchers }, () => new Watcher());
  const probeMarker = Buffer.from(`"name":"${probeName}"`);
  let probeSeen = 0;
  let probeAll: () => void = () => {};
  const probeDone = new Promise<void>((r) => (probeAll = r));
  const onProbe = () => {
    if (++probeSeen === watchers) probeAll();
  };
  const sent: number[] = [];
  const answered: number[] = [];
  let connectMs: number;
  let barrierMs: number;
  let rssWatching: number;
  let connectErrors = 0;
  let firstConnectError = '';
  try {
    const list = await writer.json<{ metadata: { resourceVersion: string } }>('GET', `${collectionPath}?limit=1`);
    const rv = list.metadata.resourceVersion;
    const watchPath = `${collectionPath}?watch=1&resourceVersion=${encodeURIComponent(rv)}`;
    const c0 = performance.now();
    for (let i = 0; i < watchers; i += connectBatch) {
      await Promise.all(ws.slice(i, i + connectBatch).map((w) =>
        openWatch(watchClient, watchPath, w, probeMarker, onProbe).catch((e: unknown) => {
          connectErrors++;
          firstConnectError ||= String(e);
        }),
      ));
    }
    connectMs = performance.now() - c0;
    // Headers are sent before the server registers the watch, so one unmeasured change proves every watcher is live.
    const b0 = performance.now();
    await writer.json('POST', collectionPath, configMap(probeName));
    await Promise.race([probeDone, sleep(15_000)]);
    barrierMs = performance.now() - b0;
    rssWatching = (await memoryOf(server.pid)).rss;
    const t0 = performance.now() + 50;
    for (let i = 0; i < changes; i++) {
      const due = t0 + i * changeEveryMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sent[i] = performance.now();
      await writer.json('POST', collectionPath, configMap(changeName(i)));
      answered[i] = performance.now();
    }
    // Let the last events arrive.
    const expected = Buffer.from(`"name":"${changeName(changes - 1)}"`);
    const deadline = performance.now() + 5_000;
    while (performance.now() < deadline && !ws.every((w) => w.closed || w.chunks.some((c) => c.data.includes(expected)))) await sleep(20);
  } finally {
    for (const w of ws) w.req?.destroy();
    watchClient.close();
    writer.close();
  }
  const fromResponse: number[] = [];
  const fromRequest: number[] = [];
  const perChangeP99: number[] = [];
  let early = 0;
  const arrivals = ws.map((w) => w.arrivals());
  for (let i = 0; i < changes; i++) {
    const one: number[] = [];
    for (const a of arrivals) {
      const t = a.get(changeName(i));
      if (t === undefined) continue;
      fromResponse.push(t - answered[i]);
      fromRequest.push(t - sent[i]);
      one.push(t - answered[i]);
      if (t < answered[i]) early++;
    }
    perChangeP99.push(summarize(one).p99);
  }
  const d = summarize(fromResponse);
  const dReq = summarize(fromRequest);
  const expectedDeliveries = watchers * changes;
  return {
    name: 'watch-fanout',
    title: 'Watch fan-out',
    headlines: [
      {
        figure: `watch delivery to ${watchers} watchers (p50 / p99 / max)`,
        measured: `${ms(d.p50)} / ${ms(d.p99)} / ${ms(d.max)}`,
        goal: `p99 ≤ ${goalP99Ms} ms`,
        vsGoal: ratio(d.p99, goalP99Ms),
        baseline: '',
        vsBaseline: '',
      },
    ],
    body: [
      `${watchers} concurrent watches (\`GET ${collectionPath}?watch=1&resourceVersion=<current>\`), each its own TLS connection ` +
        `(one keep-alive agent with maxSockets ${watchers + 10}, opened ${connectBatch} at a time). One unmeasured create is sent first and ` +
        `awaited on every watcher, so all watches are registered. Then ${changes} single changes (a ConfigMap create each), one every ` +
        `${changeEveryMs} ms; for every change and every watcher, the delay runs from the moment the create's response was read to the ` +
        'moment the chunk completing the ADDED event arrived at that watcher (timestamped on arrival, parsed afterwards). ' +
        'A watcher can see the event before the writer reads its response; such deliveries count with a negative delay.',
      '',
      ...codeBlock(['node bench/run.ts --only watch-fanout', server.command]),
      '',
      ...table(
        ['measure', 'value'],
        [
          ['deliveries received / expected', `${fromResponse.length} / ${expectedDeliveries}`],
          ['delay after the write\'s response: p50 / p99 / max', `${ms(d.p50)} / ${ms(d.p99)} / ${ms(d.max)}`],
          ['delay after the write was sent: p50 / p99 / max', `${ms(dReq.p50)} / ${ms(dReq.p99)} / ${ms(dReq.max)}`],
          ['deliveries before the write\'s response was read', String(early)],
          ['p99 per change (ms)', perChangeP99.map((v) => v.toFixed(0)).join(', ')],
          [`time to open ${watchers} watches`, ms(connectMs)],
          ['time until every watcher saw the first (unmeasured) change', ms(barrierMs)],
          [`server RSS with ${watchers} watches open`, mib(rssWatching)],
          ['watch connection errors', connectErrors ? `${connectErrors} (first: ${firstConnectError})` : '0'],
        ],
      ),
      '',
      `The load generator (all ${watchers} watchers and the writer, one node process) and the server share this machine's ` +
        'cores, so each delay includes the watchers\' own TLS decryption and scheduling: the last of 1,000 sockets to be read ' +
        'waits for the other 999 on the generator\'s single thread. The figure is therefore an upper bound on the server\'s part.',
    ],
  };
}
