/**
 * An Apify API v2 client whose HTTP layer is one `call()` method: impit by default, `fetch`,
 * `@pluggable/http` or anything else through `ApifyClient.withCustomHttpClient`.
 *
 * @packageDocumentation
 * @module @pluggable/apify-client
 */

export { default } from './default-export.js';
export * from './public-api.js';
