import ky from 'ky';

process.stdout.write(`${(await ky.get(process.argv[2]).arrayBuffer()).byteLength}\n`);
process.exit(0);
