// The benchmark server: a separate process, so no client shares its event loop. Fixed payloads,
// keep-alive on, nothing allocated per request except what node:http itself needs.
import http from 'node:http';

const JSON_BODY = Buffer.from(JSON.stringify({ data: 'x'.repeat(1024 - 11) }));
const BYTES = Buffer.alloc(65_536, 0x61);
// One preallocated chunk is written again and again: the server must be faster than any client.
const CHUNK = Buffer.alloc(256 * 1024, 0x62);
const STREAM = /^\/stream\/(\d+)$/;

function stream(res, total) {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(total) });
  let left = total;
  const pump = () => {
    while (left > 0) {
      const size = Math.min(left, CHUNK.length);
      left -= size;
      const more = res.write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size));
      if (!more) return res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'GET' && url === '/json') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': JSON_BODY.length });
    res.end(JSON_BODY);
  } else if (req.method === 'GET' && url === '/bytes/65536') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': BYTES.length });
    res.end(BYTES);
  } else if (req.method === 'POST' && url === '/echo') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
      res.end(body);
    });
  } else if (req.method === 'POST' && url === '/sink') {
    let count = 0;
    req.on('data', (chunk) => {
      count += chunk.length;
    });
    req.on('end', () => res.end(String(count)));
  } else if (req.method === 'GET' && STREAM.test(url)) {
    stream(res, Number(STREAM.exec(url)[1]));
  } else {
    res.writeHead(404).end();
  }
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));
