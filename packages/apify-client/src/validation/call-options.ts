import { invalid } from './options.js';

/**
 * The official per-call option names and the values they take. A name means the same in every
 * method that has it (`limit` is a count wherever it appears, `timeout` a run's seconds), so one
 * table checks them all, before anything is sent.
 */
type Rule = (value: unknown) => boolean;

const isBoolean: Rule = (value) => typeof value === 'boolean';
const isCount: Rule = (value) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isNonNegative: Rule = (value) => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isString: Rule = (value) => typeof value === 'string';
const isStringList: Rule = (value) =>
  typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
const isDate: Rule = (value) =>
  (value instanceof Date && !Number.isNaN(value.getTime())) ||
  (typeof value === 'string' && !Number.isNaN(Date.parse(value)));

const RULES: Record<string, [Rule, string]> = {};
function define(names: string[], rule: Rule, expectation: string): void {
  for (const name of names) RULES[name] = [rule, expectation];
}

define(
  [
    'betaPackages',
    'buffer',
    'bom',
    'clean',
    'desc',
    'doNotRetryTimeouts',
    'forefront',
    'gracefully',
    'includeUnrunnableActors',
    'my',
    'raw',
    'restartOnError',
    'skipEmpty',
    'skipHeaderRow',
    'skipHidden',
    'stream',
    'unnamed',
    'useCache',
  ],
  isBoolean,
  'a boolean',
);
define(
  ['chunkSize', 'count', 'limit', 'maxItems', 'maxPageLimit', 'memory', 'offset'],
  isCount,
  'a non-negative integer',
);
define(
  ['expiresInSecs', 'timeoutSecs', 'lockSecs', 'maxTotalChargeUsd', 'timeout', 'waitForFinish', 'waitSecs'],
  isNonNegative,
  'a finite number ≥ 0',
);
define(
  [
    'build',
    'category',
    'clientKey',
    'collection',
    'contentType',
    'cursor',
    'delimiter',
    'exclusiveStartId',
    'exclusiveStartKey',
    'forcePermissionLevel',
    'origin',
    'pricingModel',
    'prefix',
    'search',
    'signature',
    'sortBy',
    'tag',
    'username',
    'view',
    'xmlRoot',
    'xmlRow',
  ],
  isString,
  'a string',
);
define(
  ['fields', 'filter', 'flatten', 'omit', 'status', 'unwind'],
  isStringList,
  'a string or an array of strings',
);
// getRecord sends the literal `true`, as the official client does; downloadItems a boolean.
define(['attachment'], (value) => isBoolean(value) || value === 'true', 'a boolean');
define(['startedAfter', 'startedBefore'], isDate, 'a Date or a date string');
define(
  ['ownership'],
  (value) => value === 'ownedByMe' || value === 'sharedWithMe',
  `"ownedByMe" or "sharedWithMe"`,
);

/** Ad-hoc webhooks of a run start, checked before they are encoded into the query. */
export function checkWebhooks(value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'object' && item !== null)) {
    throw invalid('webhooks', value, 'an array of webhook objects');
  }
}

/** Rejects the first known option whose value is of the wrong kind; `undefined` and `null` mean unset. */
export function checkCallOptions(options: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue;
    const rule = RULES[name];
    if (rule !== undefined && !rule[0](value)) throw invalid(name, value, rule[1]);
  }
}
