import http from 'node:http';
import axios from 'axios';
import { diskForm } from './multipart.js';

export default {
  name: 'axios',
  create({ origin, connections }) {
    const httpAgent = new http.Agent({ keepAlive: true, maxSockets: connections });
    const client = axios.create({
      baseURL: origin,
      httpAgent,
      responseType: 'arraybuffer',
      maxBodyLength: Number.POSITIVE_INFINITY,
      maxContentLength: Number.POSITIVE_INFINITY,
    });
    return {
      async get(path) {
        return (await client.get(path)).data.byteLength;
      },
      async post(path, body) {
        const headers = { 'Content-Type': 'application/octet-stream' };
        return (await client.post(path, body, { headers })).data.byteLength;
      },
      async download(path) {
        const response = await client.get(path, { responseType: 'stream' });
        let bytes = 0;
        for await (const chunk of response.data) bytes += chunk.byteLength;
        return bytes;
      },
      async upload(path, file) {
        // follow-redirects (axios's redirect layer) keeps a copy of the body to replay it: with
        // redirects off axios uses node:http directly and streams the form.
        const response = await client.post(path, await diskForm(file), {
          responseType: 'text',
          maxRedirects: 0,
        });
        return Number(response.data);
      },
      close: async () => httpAgent.destroy(),
    };
  },
};
