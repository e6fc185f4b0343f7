export { DEFAULT_SECRET_QUERY_PARAMS } from './attributes.js';
export { DURATION_BUCKETS, type OpenTelemetryOptions, openTelemetry } from './open-telemetry.js';
export type { AttemptOutcome, SendObserver, Telemetry } from './telemetry.js';
