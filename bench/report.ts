// Renders BENCHMARKS.md: the machine, a headline table of every figure against its goal and baseline, then one section per benchmark.
import type { Machine } from './machine.ts';

/** One figure in the headline table. Ratios are measured ÷ reference: against a "≤" goal, ≤ 1× meets it. */
export interface Headline {
  figure: string;
  measured: string;
  goal: string;
  vsGoal: string;
  baseline: string;
  vsBaseline: string;
}

export interface Section {
  /** The name `--only` selects, also the module that measured it. */
  name: string;
  title: string;
  headlines: Headline[];
  /** Markdown: the exact commands, the method, the full figures and anything worth noting. */
  body: string[];
}

export function codeBlock(lines: readonly string[]): string[] {
  return ['```sh', ...lines, '```'];
}

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)];
}

export function renderReport(machine: Machine, command: string, wallSeconds: number, sections: readonly Section[], notes: readonly string[]): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    `Written by \`${command}\` (\`bench/run.ts\`); every run overwrites this file. Benchmarks report, they never assert:`,
    'a figure over its goal is a finding, not a failure. Ratios are measured ÷ goal (≤ 1× meets a "≤" goal, ≥ 1× a "≥" goal)',
    'and measured ÷ baseline, where the baseline was measured side by side in the same run.',
    '',
    ...table(
      ['machine', ''],
      [
        ['date', machine.date],
        ['commit', machine.commit],
        ['nproc', `${machine.nproc} (${machine.cpuModel})`],
        ['memory', machine.memory],
        ['kernel', machine.kernel],
        ['node', `${machine.node} (${machine.nodePath})`],
        ['load average at start (1/5/15 min)', machine.loadAtStart],
        ['whole run', `${wallSeconds.toFixed(0)} s`],
      ],
    ),
    '',
    ...notes.map((n) => `- ${n}`),
    ...(notes.length ? [''] : []),
    '## Summary',
    '',
    ...table(
      ['figure', 'measured', 'goal', 'vs goal', 'baseline (same run)', 'vs baseline'],
      sections.flatMap((s) => s.headlines.map((h) => [h.figure, h.measured, h.goal, h.vsGoal, h.baseline, h.vsBaseline])),
    ),
    '',
  ];
  for (const s of sections) out.push(`## ${s.title}`, '', ...s.body, '');
  return out.join('\n');
}
