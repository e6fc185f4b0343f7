// The HTTP/2 benchmark server: a separate process, TLS with a certificate made at start (its CA
// file path is sent to the harness), h2 only. `GET /json` 1 KiB, `GET /stream/<n>` n bytes. It
// counts sessions (connections), so every row can show how many connections its client used.
import { rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';

const JSON_BODY = Buffer.from(JSON.stringify({ data: 'x'.repeat(1024 - 11) }));
const CHUNK = Buffer.alloc(256 * 1024, 0x62);
const STREAM = /^\/stream\/(\d+)$/;

const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
  keySize: 2048,
  algorithm: 'sha256',
  extensions: [
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ],
});
const caPath = path.join(os.tmpdir(), `pluggable-bench-h2-${process.pid}.pem`);
writeFileSync(caPath, pems.cert);

let sessions = 0;
const server = http2.createSecureServer({
  cert: pems.cert,
  key: pems.private,
  // A large window on both levels, so flow control is not what a download measures.
  settings: { initialWindowSize: 16 * 1024 * 1024 },
});
// A client that closes its connection mid-body (got does, between rounds) resets the session and
// its streams: that is the client's business, and an unhandled 'error' would end this process,
// failing every later measurement with "Channel closed".
const ignore = () => {};
server.on('session', (session) => {
  sessions++;
  session.on('error', ignore);
  session.setLocalWindowSize(64 * 1024 * 1024);
});
server.on('stream', (stream, headers) => {
  stream.on('error', ignore);
  const url = headers[':path'] ?? '/';
  if (url === '/json') {
    stream.respond({
      ':status': 200,
      'content-type': 'application/json',
      'content-length': JSON_BODY.length,
    });
    stream.end(JSON_BODY);
    return;
  }
  const match = STREAM.exec(url);
  if (match === null) {
    stream.respond({ ':status': 404 });
    stream.end();
    return;
  }
  let left = Number(match[1]);
  stream.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'content-length': left });
  const pump = () => {
    while (left > 0) {
      const size = Math.min(left, CHUNK.length);
      left -= size;
      if (!stream.write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size)))
        return stream.once('drain', pump);
    }
    stream.end();
  };
  pump();
});
server.on('error', ignore);
process.on('message', (message) => {
  if (message === 'sessions') process.send({ sessions });
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port, caPath }));
process.on('disconnect', () => {
  rmSync(caPath, { force: true });
  process.exit(0);
});
