import ky from 'ky';
import { diskForm } from './multipart.js';

// ky v1 on Node's global fetch (its own default), with its default retry and timeout.
export default {
  name: 'ky',
  create({ origin }) {
    const client = ky.create({ prefixUrl: origin });
    const rel = (path) => path.slice(1);
    return {
      async get(path) {
        return (await client.get(rel(path)).arrayBuffer()).byteLength;
      },
      async post(path, body) {
        return (await client.post(rel(path), { body }).arrayBuffer()).byteLength;
      },
      async download(path) {
        // ky's timeout covers the whole exchange; a long stream must not be cut at 10 s.
        const response = await client.get(rel(path), { timeout: false });
        let bytes = 0;
        for await (const chunk of response.body) bytes += chunk.byteLength;
        return bytes;
      },
      async upload(path, file) {
        const body = await diskForm(file);
        return Number(await client.post(rel(path), { body, timeout: false }).text());
      },
      close: async () => {},
    };
  },
};
