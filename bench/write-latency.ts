// Measures single-object write latency: ConfigMap creates paced at a fixed rate (open loop), per datastore side by side.
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, configMap, readCredentials } from './api-client.ts';
import type { ClusterProcess } from './cluster-process.ts';
import { cpuShareDuring } from './proc-stats.ts';
import { ms, ratio, summarize, type Summary } from './percentiles.ts';
import { codeBlock, table, type Section } from './report.ts';

export const writeRate = 200;
export const writeSeconds = 10;
const warmupWrites = 20;
const goalP99Ms = 10;
const path = '/api/v1/namespaces/default/configmaps';

export interface WriteResult {
  datastore: string;
  serverCommand: string;
  latency: Summary;
  errors: number;
  firstError: string;
  maxSendLagMs: number;
  achievedRate: number;
  serverCpu: number;
}

/**
 * Sends `writeRate` creates per second for `writeSeconds`, each at its scheduled time whether or not earlier ones
 * have answered; latency runs from the scheduled time to the end of the response, so a stalled server is not hidden.
 */
export async function runWriteLatency(server: ClusterProcess, datastore: string): Promise<WriteResult> {
  const client = new ApiClient(await readCredentials(server.kubeconfig), 64);
  try {
    for (let i = 0; i < warmupWrites; i++) await client.json('POST', path, configMap(`bench-warmup-${datastore}-${i}`));
    const total = writeRate * writeSeconds;
    const interval = 1000 / writeRate;
    const latencies: number[] = [];
    let errors = 0;
    let firstError = '';
    let maxSendLagMs = 0;
    const fire = async (i: number, due: number) => {
      maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
      try {
        const r = await client.send('POST', path, configMap(`bench-write-${datastore}-${i}`));
        if (r.status !== 201) {
          errors++;
          firstError ||= `HTTP ${r.status}: ${r.body.slice(0, 200)}`;
          return;
        }
        latencies.push(performance.now() - due);
      } catch (e) {
        errors++;
        firstError ||= String(e);
      }
    };
    const { result: elapsed, cpu } = await cpuShareDuring(server.pid, async () => {
      const pending: Promise<void>[] = [];
      const t0 = performance.now() + 5;
      for (let i = 0; i < total; ) {
        const due = t0 + i * interval;
        const now = performance.now();
        if (due > now) {
          await sleep(due - now);
          continue;
        }
        for (; i < total && t0 + i * interval <= performance.now(); i++) pending.push(fire(i, t0 + i * interval));
      }
      await Promise.all(pending);
      return (performance.now() - t0) / 1000;
    });
    return {
      datastore,
      serverCommand: server.command,
      latency: summarize(latencies),
      errors,
      firstError,
      maxSendLagMs,
      achievedRate: latencies.length / elapsed,
      serverCpu: cpu,
    };
  } finally {
    client.close();
  }
}

export function writeLatencySection(results: readonly WriteResult[], etcdNote: string | undefined, etcdCommand: string | undefined): Section {
  const sqlite = results.find((r) => r.datastore === 'sqlite');
  const etcd = results.find((r) => r.datastore === 'etcd');
  const headlines: Section['headlines'] = results.map((r) => ({
    figure: `write latency p99, ${r.datastore} (p50 / p99 / max)`,
    measured: `${ms(r.latency.p50)} / ${ms(r.latency.p99)} / ${ms(r.latency.max)}`,
    goal: `p99 ≤ ${goalP99Ms} ms`,
    vsGoal: ratio(r.latency.p99, goalP99Ms),
    baseline: r.datastore === 'etcd' && sqlite ? `sqlite p99: ${ms(sqlite.latency.p99)}` : '',
    vsBaseline: r.datastore === 'etcd' && sqlite ? ratio(r.latency.p99, sqlite.latency.p99) : '',
  }));
  return {
    name: 'write-latency',
    title: 'Single-object write latency',
    headlines,
    body: [
      `\`POST ${path}\` of a ConfigMap with about 1 KiB of data, ${writeRate} writes/s for ${writeSeconds} s (${writeRate * writeSeconds} ` +
        `creates), open loop: each request is sent at its scheduled time whether or not earlier ones have answered, and its ` +
        `latency runs from that scheduled time to the end of the response (so queueing behind a slow write counts). ` +
        `${warmupWrites} unmeasured creates warm the connections first. Keep-alive agent, client certificate from the kubeconfig. ` +
        'The same run measures the default SQLite datastore and etcd, each on its own fresh server.',
      '',
      ...codeBlock([
        'node bench/run.ts --only write-latency',
        ...results.flatMap((r) => (r.datastore === 'etcd' && etcdCommand ? ['# etcd first, then the server that uses it', etcdCommand, r.serverCommand] : [r.serverCommand])),
      ]),
      '',
      ...table(
        ['datastore', 'p50', 'p99', 'max', 'mean', 'writes ok', 'errors', 'achieved rate', 'server CPU', 'p99 vs goal'],
        results.map((r) => [
          r.datastore,
          ms(r.latency.p50),
          ms(r.latency.p99),
          ms(r.latency.max),
          ms(r.latency.mean),
          String(r.latency.n),
          String(r.errors),
          `${r.achievedRate.toFixed(0)}/s`,
          `${(r.serverCpu * 100).toFixed(0)}% of a core`,
          ratio(r.latency.p99, goalP99Ms),
        ]),
      ),
      '',
      ...(etcd && sqlite ? [`etcd ÷ SQLite: p50 ${ratio(etcd.latency.p50, sqlite.latency.p50)}, p99 ${ratio(etcd.latency.p99, sqlite.latency.p99)}.`] : []),
      ...(etcdNote ? [etcdNote] : []),
      ...results.filter((r) => r.errors > 0).map((r) => `${r.datastore}: first error: ${r.firstError}`),
      `Largest lag of the load generator behind its schedule: ${results.map((r) => `${r.datastore} ${ms(r.maxSendLagMs)}`).join(', ')} ` +
        '(the generator and the server share the machine\'s cores).',
    ],
  };
}
