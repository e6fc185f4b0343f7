import { Impit } from 'impit';
import { diskForm } from './multipart.js';

// impit (Rust reqwest underneath) keeps its own pool; its connection count is not configurable.
export default {
  name: 'impit',
  create({ origin }) {
    const client = new Impit({});
    return {
      async get(path) {
        return (await (await client.fetch(origin + path)).bytes()).byteLength;
      },
      async post(path, body) {
        return (await (await client.fetch(origin + path, { method: 'POST', body })).bytes()).byteLength;
      },
      async download(path) {
        const response = await client.fetch(origin + path);
        let bytes = 0;
        for await (const chunk of response.body) bytes += chunk.byteLength;
        return bytes;
      },
      async upload(path, file) {
        const body = await diskForm(file);
        return Number(await (await client.fetch(origin + path, { method: 'POST', body })).text());
      },
      close: async () => {},
    };
  },
};
