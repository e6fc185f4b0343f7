#!/usr/bin/env node
// The `pluggable-http` bin. npm links a workspace's bins while `npm ci` installs, before anything
// is built, and skips (never links) a bin whose file is missing: pointing the bin at dist/cli.js
// would leave a fresh clone without the command, and `npx pluggable-http` would then look for a
// package of that name on the registry. This committed file always exists, so the link is made.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('pluggable-http: @pluggable/http is not built yet: run `npm run build` first\n');
  process.exit(1);
}
await import(entry.href);
