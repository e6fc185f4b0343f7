import { request } from 'undici';

const { body } = await request(process.argv[2]);
process.stdout.write(`${(await body.arrayBuffer()).byteLength}\n`);
process.exit(0);
