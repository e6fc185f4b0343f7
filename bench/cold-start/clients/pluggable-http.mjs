import { get } from '@pluggable/http';

process.stdout.write(`${(await get(process.argv[2])).content.byteLength}\n`);
process.exit(0);
