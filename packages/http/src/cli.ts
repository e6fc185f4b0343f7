#!/usr/bin/env node
// The `pluggable-http` command. Kept out of the library's index so commander and cli-progress
// load only when the command runs.
import { run } from './cli/main.js';

// `pluggable-http URL | head -1`: once the reader has gone, the rest of the output has nowhere to
// go and nobody to show an error to, so the command ends quietly with 0, as HTTPX does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
run(process.argv.slice(2), io).then(
  (code) => {
    // exitCode, not exit(): stdout may still be flushing to a pipe.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pluggable-http: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
