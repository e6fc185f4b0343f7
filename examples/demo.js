// `npm start`: a short tour of @pluggable/http against a server this script starts on loopback.
// (The full demo — the Apify client against the emulator with three HTTP layers — builds on this.)
import http from 'node:http';
import { Client, HTTPStatusError, Limits, MockTransport, Response } from '@pluggable/http';

const server = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/old') {
    res.writeHead(301, { Location: '/json' }).end();
  } else if (url.pathname === '/lines') {
    for (const line of ['alpha', 'beta', 'gamma']) res.write(`${line}\n`);
    res.end();
  } else if (url.pathname === '/missing') {
    res.writeHead(404).end();
  } else {
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        method: req.method,
        path: url.pathname,
        query: url.search,
        body: Buffer.concat(chunks).toString(),
      }),
    );
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const quiet = process.argv.includes('--quiet');
const log = (...args) => {
  if (!quiet) console.log(...args);
};

const client = new Client({
  baseUrl: base,
  params: { client: 'demo' },
  limits: new Limits({ maxConnections: 8 }),
});
try {
  const r1 = await client.get('/json?page=1', { params: { per: 10 } });
  log(
    `GET  ${r1.request.url.pathname}${r1.request.url.search} → ${r1.statusCode} ${r1.reasonPhrase}`,
    r1.json(),
  );

  const r2 = await client.post('/json', { json: { hello: 'world' } });
  log(`POST /json (json) → ${r2.statusCode}`, r2.json().body);

  const r3 = await client.get('/old', { followRedirects: true });
  log(
    `GET  /old → ${r3.statusCode} at ${r3.url.pathname} after ${r3.history.map((h) => h.statusCode).join(', ')}`,
  );

  const stream = await client.stream('GET', '/lines');
  const lines = [];
  for await (const line of stream.iterLines()) lines.push(line);
  log(`GET  /lines (streamed) → ${lines.join(' | ')}`);

  try {
    (await client.get('/missing')).raiseForStatus();
  } catch (error) {
    if (error instanceof HTTPStatusError) log(`GET  /missing → ${error.message.split('\n')[0]}`);
    else throw error;
  }

  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 250; i++) await client.get('/json');
    }),
  );
  log(`2000 requests, 8 in flight, pooled: ${Math.round(performance.now() - started)} ms`);

  const mock = new Client({
    transport: new MockTransport((request) => new Response(200, { json: { mocked: request.url.href } })),
  });
  log('MockTransport →', (await mock.get('https://example.org/anything')).json());
  await mock.close();
} finally {
  await client.close();
  server.close();
}
