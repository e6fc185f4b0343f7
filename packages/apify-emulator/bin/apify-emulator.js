#!/usr/bin/env node
// The `apify-emulator` bin. npm links workspace bins during `npm ci`, before anything is built,
// and never links one whose file is missing; this committed file always exists, so a fresh clone
// gets the command, and it explains what to do when the package has not been built yet.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'apify-emulator: @pluggable/apify-emulator is not built yet: run `npm run build` first\n',
  );
  process.exit(1);
}
await import(entry.href);
