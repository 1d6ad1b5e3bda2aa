// Measures cold start (empty data dir, CA generated) and warm start (restart on the same data dir) to /readyz, beside bare node start-up.
import { spawn } from 'node:child_process';
import { ClusterProcess, freePort, nodeBin, readyPollMs, removeDir, repoRoot, tempDir } from './cluster-process.ts';
import { ms, ratio, summarize, type Summary } from './percentiles.ts';
import { codeBlock, table, type Section } from './report.ts';

const runs = 5;
const goalMs = 500;

/** Wall time from spawn to exit of a short-lived node command (the same binary as the server). */
function timeExit(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(nodeBin, args, { cwd: repoRoot, stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`node ${args.join(' ')} exited with ${code}`))));
  });
}

async function timeExits(args: string[]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await timeExit(args));
  return out;
}

interface StartRun {
  readyMs: number;
  selfMs: number;
  command: string;
  exit: string;
}

async function startStop(dataDir: string): Promise<StartRun> {
  const c = new ClusterProcess(dataDir, await freePort());
  let exit = 'not started';
  try {
    await c.start();
  } finally {
    exit = await c.stop();
  }
  return { readyMs: c.readyMs, selfMs: c.selfReportedMs, command: c.command, exit };
}

export async function measureStartTime(): Promise<Section> {
  const bare = await timeExits(['-e', '0']);
  const cliOnly = await timeExits(['bin/dabba.js', 'version']);
  const dirs: string[] = [];
  const cold: StartRun[] = [];
  const warm: StartRun[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const dir = await tempDir('start');
      dirs.push(dir);
      cold.push(await startStop(dir));
    }
    const warmDir = dirs[dirs.length - 1];
    for (let i = 0; i < runs; i++) warm.push(await startStop(warmDir));
  } finally {
    for (const d of dirs) await removeDir(d);
  }
  const sBare = summarize(bare);
  const sCli = summarize(cliOnly);
  const sCold = summarize(cold.map((r) => r.readyMs));
  const sWarm = summarize(warm.map((r) => r.readyMs));
  const row = (what: string, s: Summary, all: number[], self?: number[]) => [
    what,
    ms(s.p50),
    ms(s.max),
    all.map((v) => v.toFixed(0)).join(', '),
    self ? self.map((v) => (Number.isFinite(v) ? v.toFixed(0) : '?')).join(', ') : '',
    ratio(s.p50, sBare.p50),
  ];
  return {
    name: 'start-time',
    title: 'Start-up to /readyz',
    headlines: [
      {
        figure: 'cold start to /readyz (median / max of 5)',
        measured: `${ms(sCold.p50)} / ${ms(sCold.max)}`,
        goal: `≤ ${goalMs} ms`,
        vsGoal: `${ratio(sCold.p50, goalMs)} / ${ratio(sCold.max, goalMs)}`,
        baseline: `\`node -e 0\`: ${ms(sBare.p50)}`,
        vsBaseline: ratio(sCold.p50, sBare.p50),
      },
      {
        figure: 'warm start to /readyz (median / max of 5)',
        measured: `${ms(sWarm.p50)} / ${ms(sWarm.max)}`,
        goal: `≤ ${goalMs} ms`,
        vsGoal: `${ratio(sWarm.p50, goalMs)} / ${ratio(sWarm.max, goalMs)}`,
        baseline: `\`node -e 0\`: ${ms(sBare.p50)}`,
        vsBaseline: ratio(sWarm.p50, sBare.p50),
      },
    ],
    body: [
      `Cold: ${runs} starts, each on a new empty data dir (so each generates the CA, the certificates and the datastore). ` +
        `Warm: ${runs} restarts on the data dir of the last cold start. Time runs from \`spawn()\` to the first \`200\` from ` +
        `\`GET /readyz\`, polled every ${readyPollMs} ms on a new TLS connection each time (as a script would); each server is then ` +
        'stopped with SIGTERM and awaited before the next start. Baselines, same node binary: `node -e 0` and ' +
        '`node bin/dabba.js version` (loads only the CLI; `up` imports the server modules), spawn to exit.',
      '',
      ...codeBlock([
        '# whole figure',
        'node bench/run.ts --only start-time',
        '# cold (example run; each run has its own temp dir and free port)',
        cold[0].command,
        '# warm',
        warm[0].command,
        '# baselines',
        'node -e 0',
        'node bin/dabba.js version',
      ]),
      '',
      ...table(
        ['what', 'median', 'max', 'all runs (ms)', 'server\'s own "startupMs" (ms)', 'median vs `node -e 0`'],
        [
          row('cold start → /readyz 200', sCold, cold.map((r) => r.readyMs), cold.map((r) => r.selfMs)),
          row('warm start → /readyz 200', sWarm, warm.map((r) => r.readyMs), warm.map((r) => r.selfMs)),
          row('`node bin/dabba.js version` → exit', sCli, cliOnly),
          row('`node -e 0` → exit (floor)', sBare, bare),
        ],
      ),
      '',
      'The server\'s own "startupMs" (from its `ready` log line) counts from when `up` starts running, module loading included; ' +
        'the difference to the parent\'s figure is node\'s boot, the CLI and the /readyz poll. Node\'s compile cache ' +
        '(`module.enableCompileCache`, in the OS temp dir) keeps the type-stripped, compiled modules between starts.' +
        (cold.concat(warm).some((r) => r.exit !== '0') ? ` Exit codes after SIGTERM: ${cold.concat(warm).map((r) => r.exit).join(', ')}.` : ''),
    ],
  };
}
