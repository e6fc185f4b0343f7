// The benchmark server: a separate process, so clients never share its event loop.
import http from 'node:http';

const json = Buffer.from(JSON.stringify({ data: 'x'.repeat(1024 - 11) }));
const server = http.createServer((req, res) => {
  if (req.method === 'POST') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => res.end(Buffer.concat(chunks)));
    return;
  }
  res.setHeader('Content-Type', 'application/json');
  res.end(json);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));
