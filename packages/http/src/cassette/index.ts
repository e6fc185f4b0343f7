export { type BodyRedactor, DEFAULT_SECRET_FIELDS, secretFieldRedactor } from './body-redaction.js';
export { type CassetteMode, CassetteTransport, type CassetteTransportOptions } from './cassette-transport.js';
export { CassetteMismatch } from './errors.js';
export { type CassetteFile, DEFAULT_SECRET_PARAMS, type Episode, type StoredBody } from './format.js';
export { MATCHERS, type Matcher, type MatcherName } from './matchers.js';
