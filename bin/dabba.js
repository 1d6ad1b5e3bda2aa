#!/usr/bin/env node
// Entry point of the dabba command: hands the arguments to the CLI, which runs on Node 24 (type stripping).

// node:sqlite is stable enough for us; its ExperimentalWarning would only alarm users, other warnings still print.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name === 'ExperimentalWarning' && /SQLite/.test(w.message)) return;
  process.stderr.write(`${w.name}: ${w.message}\n`);
});

// V8's compile cache (with the type-stripped sources) makes every start after the first much faster.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();

const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
