import http from 'node:http';

const bytes = await new Promise((resolve, reject) => {
  http
    .get(process.argv[2], (response) => {
      let n = 0;
      response.on('data', (chunk) => (n += chunk.byteLength));
      response.on('end', () => resolve(n));
    })
    .on('error', reject);
});
process.stdout.write(`${bytes}\n`);
process.exit(0);
