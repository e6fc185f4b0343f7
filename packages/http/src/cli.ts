#!/usr/bin/env node
// The `pluggable-http` command. Kept out of the library's index so commander and cli-progress
// load only when the command runs.
import { run } from './cli/main.js';

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    // exitCode, not exit(): stdout may still be flushing to a pipe.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pluggable-http: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
