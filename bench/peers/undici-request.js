import { Agent, FormData, request } from 'undici';
import { diskForm } from './multipart.js';

export default {
  name: 'undici.request',
  create({ origin, connections }) {
    const dispatcher = new Agent({ connections, keepAliveTimeout: 60_000 });
    return {
      async get(path) {
        const { body } = await request(origin + path, { dispatcher });
        return (await body.arrayBuffer()).byteLength;
      },
      async post(path, payload) {
        const { body } = await request(origin + path, { method: 'POST', body: payload, dispatcher });
        return (await body.arrayBuffer()).byteLength;
      },
      async download(path) {
        const { body } = await request(origin + path, { dispatcher });
        let bytes = 0;
        for await (const chunk of body) bytes += chunk.byteLength;
        return bytes;
      },
      async upload(path, file) {
        const form = await diskForm(file, FormData);
        const { body } = await request(origin + path, { method: 'POST', body: form, dispatcher });
        return Number(await body.text());
      },
      close: () => dispatcher.close(),
    };
  },
};
