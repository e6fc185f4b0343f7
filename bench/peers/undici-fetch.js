import { Agent, FormData, fetch } from 'undici';
import { fetchPeer } from './fetch-like.js';

export default {
  name: 'undici.fetch',
  create({ origin, connections }) {
    const dispatcher = new Agent({ connections, keepAliveTimeout: 60_000 });
    return { ...fetchPeer(origin, fetch, { dispatcher }, FormData), close: () => dispatcher.close() };
  },
};
