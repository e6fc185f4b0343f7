import { Client, fileFromPath, Limits } from '@pluggable/http';
import { FIELD, FILENAME } from './multipart.js';

export default {
  name: '@pluggable/http',
  create({ origin, connections }) {
    const client = new Client({
      baseUrl: origin,
      limits: new Limits({ maxConnections: connections, maxKeepaliveConnections: connections }),
    });
    return {
      async get(path) {
        return (await client.get(path)).content.byteLength;
      },
      async post(path, body) {
        return (await client.post(path, { content: body })).content.byteLength;
      },
      async download(path) {
        const response = await client.stream('GET', path);
        let bytes = 0;
        for await (const chunk of response.iterBytes()) bytes += chunk.byteLength;
        return bytes;
      },
      async upload(path, file) {
        const files = { [FIELD]: [FILENAME, await fileFromPath(file)] };
        return Number((await client.post(path, { files, timeout: 60_000 })).text);
      },
      close: () => client.close(),
    };
  },
};
