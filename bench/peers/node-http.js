import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { FIELD, FILENAME } from './multipart.js';

function exchange(agent, url, options, write) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, ...options }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    req.on('error', reject);
    write(req).catch((error) => req.destroy(error));
  });
}

export default {
  name: 'node:http',
  create({ origin, connections }) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    return {
      async get(path) {
        return (await exchange(agent, origin + path, {}, async (req) => req.end())).byteLength;
      },
      async post(path, body) {
        const headers = { 'Content-Length': body.byteLength };
        return (
          await exchange(agent, origin + path, { method: 'POST', headers }, async (req) => req.end(body))
        ).byteLength;
      },
      download(path) {
        return new Promise((resolve, reject) => {
          http
            .get(origin + path, { agent }, (res) => {
              let bytes = 0;
              res.on('data', (chunk) => {
                bytes += chunk.byteLength;
              });
              res.on('end', () => resolve(bytes));
              res.on('error', reject);
            })
            .on('error', reject);
        });
      },
      async upload(path, file) {
        // Hand-written multipart: the file streams between a fixed head and tail.
        const boundary = `bench${Date.now().toString(16)}`;
        const head = Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${FIELD}"; filename="${FILENAME}"\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        );
        const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
        const { size } = await stat(file);
        const headers = {
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': head.length + size + tail.length,
        };
        const reply = await exchange(agent, origin + path, { method: 'POST', headers }, async (req) => {
          req.write(head);
          await pipeline(createReadStream(file), req, { end: false });
          req.end(tail);
        });
        return Number(reply.toString());
      },
      close: async () => agent.destroy(),
    };
  },
};
