/** Kept in step with package.json (a test checks it); read at build time, not from disk at runtime. */
export const VERSION = '0.1.0';
