#!/usr/bin/env node
// Entry point of the dabba command: hands the arguments to the CLI, which runs on Node 24 (type stripping).
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
