import { fetchPeer } from './fetch-like.js';

// Node's bundled undici and its default global Agent: one connection per request in flight
// (no pipelining), so 32 in flight use 32 connections like every other peer.
export default {
  name: 'fetch',
  create({ origin }) {
    return { ...fetchPeer(origin, globalThis.fetch), close: async () => {} };
  },
};
