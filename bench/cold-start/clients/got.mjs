import got from 'got';

process.stdout.write(`${(await got(process.argv[2]).buffer()).byteLength}\n`);
process.exit(0);
