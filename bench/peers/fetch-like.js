// Shared by the WHATWG fetch peers (undici.fetch, Node's global fetch): same calls, different fetch.
import { diskForm } from './multipart.js';

export function fetchPeer(origin, fetchImpl, init = {}, FormDataClass = globalThis.FormData) {
  return {
    async get(path) {
      return (await (await fetchImpl(origin + path, init)).arrayBuffer()).byteLength;
    },
    async post(path, body) {
      const response = await fetchImpl(origin + path, { ...init, method: 'POST', body });
      return (await response.arrayBuffer()).byteLength;
    },
    async download(path) {
      const response = await fetchImpl(origin + path, init);
      let bytes = 0;
      for await (const chunk of response.body) bytes += chunk.byteLength;
      return bytes;
    },
    async upload(path, file) {
      const body = await diskForm(file, FormDataClass);
      return Number(await (await fetchImpl(origin + path, { ...init, method: 'POST', body })).text());
    },
  };
}
