import http from 'node:http';
import got from 'got';
import { diskForm } from './multipart.js';

export default {
  name: 'got',
  create({ origin, connections }) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
    const client = got.extend({ prefixUrl: origin, agent: { http: agent } });
    // got's prefixUrl wants paths without the leading slash.
    const rel = (path) => path.slice(1);
    return {
      async get(path) {
        return (await client.get(rel(path)).buffer()).byteLength;
      },
      async post(path, body) {
        return (await client.post(rel(path), { body }).buffer()).byteLength;
      },
      async download(path) {
        let bytes = 0;
        for await (const chunk of client.stream(rel(path))) bytes += chunk.byteLength;
        return bytes;
      },
      async upload(path, file) {
        return Number(await client.post(rel(path), { body: await diskForm(file) }).text());
      },
      close: async () => agent.destroy(),
    };
  },
};
