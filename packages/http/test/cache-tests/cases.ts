import { type Expectation, START, type Step } from '../support/cache-harness.js';

/**
 * Our own cases for the behaviours the public HTTP caching test suite (http-tests/cache-tests)
 * checks for private caches, keyed by that suite's case ids so README.md can map them. `check`
 * marks a case the suite itself only observes (no right answer): we assert what we do.
 */
export interface CacheCase {
  id: string;
  steps: Step[];
  shared?: boolean;
  check?: boolean;
}

const PAUSE = 3;
const fresh = (extra: Array<[string, string | number]> = []): Array<[string, string | number]> => [
  ['Cache-Control', 'max-age=100000'],
  ...extra,
];

/** Stores a response with the given headers, then expects the next plain GET to be `expect`. */
function twoStep(
  id: string,
  headers: Array<[string, string | number]>,
  expect: Expectation,
  pause = PAUSE,
  more: Partial<CacheCase> = {},
): CacheCase {
  return { id, steps: [{ responseHeaders: headers, pauseAfter: pause }, { expect }], ...more };
}

export const cases: CacheCase[] = [];

// Cache-Control freshness
cases.push(
  twoStep('freshness-none', [], 'not_cached'),
  twoStep('freshness-max-age', [['Cache-Control', 'max-age=3600']], 'cached'),
  twoStep('freshness-max-age-quoted', [['Cache-Control', 'max-age="3600"']], 'cached'),
  twoStep('freshness-max-age-single-quoted', [['Cache-Control', "max-age='3600'"]], 'not_cached'),
  twoStep(
    'freshness-max-age-ignore-quoted',
    [['Cache-Control', 'extension="max-age=100", max-age=1']],
    'not_cached',
  ),
  twoStep(
    'freshness-max-age-ignore-quoted-rev',
    [['Cache-Control', 'max-age=1, extension="max-age=100"']],
    'not_cached',
  ),
  twoStep(
    'freshness-max-age-ignore-quoted-all',
    [['Cache-Control', 'extension="max-age=100", max-age="1"']],
    'not_cached',
  ),
  twoStep(
    'freshness-max-age-ignore-quoted-all-rev',
    [['Cache-Control', 'max-age="1", extension="max-age=100"']],
    'not_cached',
  ),
  twoStep('freshness-max-age-space-before-equals', [['Cache-Control', 'max-age =100']], 'not_cached'),
  twoStep('freshness-max-age-space-after-equals', [['Cache-Control', 'max-age= 100']], 'not_cached'),
  twoStep('freshness-max-age-0', [['Cache-Control', 'max-age=0']], 'not_cached'),
  twoStep('freshness-max-age-a100', [['Cache-Control', 'max-age=a100']], 'not_cached'),
  twoStep('freshness-max-age-100a', [['Cache-Control', 'max-age=100a']], 'not_cached'),
  twoStep('freshness-max-age-negative', [['Cache-Control', 'max-age=-100']], 'not_cached'),
  twoStep('freshness-max-age-max', [['Cache-Control', 'max-age=2147483648']], 'cached'),
  twoStep('freshness-max-age-max-plus', [['Cache-Control', 'max-age=99999999999']], 'cached'),
  twoStep(
    'freshness-max-age-age',
    [
      ['Date', 0],
      ['Cache-Control', 'max-age=10'],
      ['Age', '15'],
    ],
    'not_cached',
  ),
  twoStep(
    'freshness-max-age-expires',
    [
      ['Cache-Control', 'max-age=3600'],
      ['Expires', -10000],
      ['Date', 0],
    ],
    'cached',
  ),
  twoStep(
    'freshness-max-age-expires-invalid',
    [
      ['Cache-Control', 'max-age=3600'],
      ['Expires', '0'],
      ['Date', 0],
    ],
    'cached',
  ),
  twoStep(
    'freshness-max-age-0-expires',
    [
      ['Expires', 10000],
      ['Cache-Control', 'max-age=0'],
      ['Date', 0],
    ],
    'not_cached',
  ),
  twoStep('freshness-max-age-extension', [['Cache-Control', 'foobar, max-age=3600']], 'cached'),
  twoStep('freshness-max-age-case-insenstive', [['Cache-Control', 'MaX-aGe=3600']], 'cached'),
  twoStep(
    'freshness-max-age-s-maxage-private',
    [['Cache-Control', 's-maxage=3600, max-age=1']],
    'not_cached',
  ),
  twoStep(
    'freshness-max-age-s-maxage-private-multiple',
    [
      ['Cache-Control', 's-maxage=3600'],
      ['Cache-Control', 'max-age=1'],
    ],
    'not_cached',
  ),
  twoStep('freshness-s-maxage-shared', [['Cache-Control', 's-maxage=3600']], 'cached', PAUSE, {
    shared: true,
  }),
  twoStep(
    'freshness-max-age-s-maxage-shared-longer',
    [['Cache-Control', 'max-age=3600, s-maxage=1']],
    'not_cached',
    PAUSE,
    { shared: true },
  ),
  twoStep(
    'freshness-max-age-s-maxage-shared-longer-reversed',
    [['Cache-Control', 's-maxage=1, max-age=3600']],
    'not_cached',
    PAUSE,
    { shared: true },
  ),
  twoStep(
    'freshness-max-age-s-maxage-shared-longer-multiple',
    [
      ['Cache-Control', 'max-age=3600'],
      ['Cache-Control', 's-maxage=1'],
    ],
    'not_cached',
    PAUSE,
    { shared: true },
  ),
  twoStep(
    'freshness-max-age-s-maxage-shared-shorter',
    [['Cache-Control', 'max-age=1, s-maxage=3600']],
    'cached',
    PAUSE,
    { shared: true },
  ),
);

// Expires freshness
const future = 'Thu, 18 Aug 2050 02:01:18 GMT';
cases.push(
  twoStep('freshness-expires-none', [], 'not_cached'),
  twoStep(
    'freshness-expires-future',
    [
      ['Expires', 30 * 24 * 3600],
      ['Date', 0],
    ],
    'cached',
  ),
  twoStep(
    'freshness-expires-past',
    [
      ['Expires', -30 * 24 * 3600],
      ['Date', 0],
    ],
    'not_cached',
  ),
  twoStep(
    'freshness-expires-present',
    [
      ['Expires', 0],
      ['Date', 0],
    ],
    'not_cached',
    0,
  ),
  twoStep(
    'freshness-expires-old-date',
    [
      ['Expires', 300],
      ['Date', 400],
    ],
    'not_cached',
  ),
  twoStep(
    'freshness-expires-wrong-case-weekday',
    [
      ['Expires', future.replace('Thu', 'THU')],
      ['Date', 0],
    ],
    'cached',
  ),
  twoStep(
    'freshness-expires-wrong-case-month',
    [
      ['Expires', future.replace('Aug', 'AUG')],
      ['Date', 0],
    ],
    'cached',
  ),
  twoStep(
    'freshness-expires-wrong-case-tz',
    [
      ['Expires', future.replace('GMT', 'gMT')],
      ['Date', 0],
    ],
    'cached',
  ),
  twoStep(
    'freshness-expires-invalid',
    [
      ['Expires', '0'],
      ['Date', 0],
    ],
    'not_cached',
  ),
  twoStep(
    'freshness-expires-invalid-utc',
    [
      ['Expires', future.replace('GMT', 'UTC')],
      ['Date', 0],
    ],
    'not_cached',
  ),
  twoStep(
    'freshness-expires-invalid-2-digit-year',
    [
      ['Expires', 'Thu, 18 Aug 50 02:01:18 GMT'],
      ['Date', 0],
    ],
    'not_cached',
  ),
  twoStep(
    'freshness-expires-invalid-no-comma',
    [
      ['Expires', 'Thu 18 Aug 2050 02:01:18 GMT'],
      ['Date', 0],
    ],
    'not_cached',
  ),
  twoStep(
    'freshness-expires-invalid-multiple-spaces',
    [
      ['Expires', 'Thu, 18  Aug  2050 02:01:18 GMT'],
      ['Date', 0],
    ],
    'not_cached',
    0,
  ),
  twoStep(
    'freshness-expires-invalid-date-dashes',
    [
      ['Expires', 'Thu, 18-Aug-2050 02:01:18 GMT'],
      ['Date', 0],
    ],
    'not_cached',
    0,
  ),
  twoStep(
    'freshness-expires-invalid-time-periods',
    [
      ['Expires', 'Thu, 18 Aug 2050 02.01.18 GMT'],
      ['Date', 0],
    ],
    'not_cached',
    0,
  ),
  twoStep(
    'freshness-expires-invalid-1-digit-hour',
    [
      ['Expires', 'Thu, 18 Aug 2050 2:01:18 GMT'],
      ['Date', 0],
    ],
    'not_cached',
    0,
  ),
  twoStep(
    'freshness-expires-invalid-date',
    [
      ['Date', 'foo'],
      ['Expires', 10],
    ],
    'cached',
    0,
  ),
  twoStep(
    'freshness-expires-age-slow-date',
    [
      ['Date', -10],
      ['Expires', 10],
      ['Age', '25'],
    ],
    'not_cached',
    0,
  ),
  twoStep(
    'freshness-expires-age-fast-date',
    [
      ['Date', 10],
      ['Expires', 20],
      ['Age', '15'],
    ],
    'not_cached',
    0,
  ),
);

// Heuristic freshness (Last-Modified a day before Date)
for (const [cached, status, extra] of [
  [true, 200],
  [false, 201],
  [false, 202],
  [true, 203],
  [true, 204],
  [false, 403],
  [true, 404],
  [true, 405],
  [true, 410],
  [true, 414],
  [true, 501],
  [false, 502],
  [false, 503],
  [false, 504],
  [false, 599],
  [true, 599, ['Cache-Control', 'public']],
] as Array<[boolean, number, [string, string]?]>) {
  const headers: Array<[string, string | number]> = [
    ['Last-Modified', -24 * 3600],
    ['Date', 0],
  ];
  if (extra !== undefined) headers.push(extra);
  cases.push({
    id: `heuristic-${status}-${cached ? 'cached' : 'not_cached'}${status === 599 ? (extra ? ' (public)' : ' (no public)') : ''}`,
    steps: [
      { status, responseHeaders: headers },
      { status, expect: cached ? 'cached' : 'not_cached' },
    ],
  });
}
// 10 % of the Last-Modified age is the lifetime: after a 3 s pause, anything modified < 30 s ago is stale.
for (const delta of [5, 10, 30, 60, 300, 600, 1200, 1800, 3600, 3600 * 12, 3600 * 24])
  cases.push({
    id: `heuristic-delta-${delta}`,
    check: true,
    steps: [
      {
        responseHeaders: [
          ['Last-Modified', -delta],
          ['Date', 0],
        ],
        pauseAfter: PAUSE,
      },
      { expect: delta * 0.1 > PAUSE ? 'cached' : 'lm_validated' },
    ],
  });

// Cache-Control response directives
cases.push(
  twoStep('cc-resp-private-shared', [['Cache-Control', 'private, max-age=3600']], 'not_cached', 0, {
    shared: true,
  }),
  twoStep('cc-resp-private-private', [['Cache-Control', 'private, max-age=3600']], 'cached', 0),
  twoStep('cc-resp-no-store', [['Cache-Control', 'no-store']], 'not_cached', 0),
  twoStep('cc-resp-no-store-case-insensitive', [['Cache-Control', 'No-StOrE']], 'not_cached', 0),
  twoStep(
    'cc-resp-no-store-fresh',
    [
      ['Cache-Control', 'max-age=10000, no-store'],
      ['Expires', 10000],
      ['Date', 0],
    ],
    'not_cached',
    0,
  ),
  {
    id: 'cc-resp-no-store-old-new',
    check: true,
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=10000'],
          ['Expires', 10000],
          ['Date', 0],
          ['A', '1'],
        ],
        pauseAfter: PAUSE,
      },
      {
        responseHeaders: [
          ['Cache-Control', 'no-store'],
          ['Date', 0],
          ['A', '2'],
        ],
        pauseAfter: PAUSE,
      },
      { expect: 'cached', expectHeaders: [['a', '1']] },
    ],
  },
  {
    id: 'cc-resp-no-store-old-max-age',
    check: true,
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=10000'],
          ['Expires', 10000],
          ['Date', 0],
          ['A', '1'],
        ],
        pauseAfter: PAUSE,
      },
      {
        responseHeaders: [
          ['Cache-Control', 'no-store, max-age=0'],
          ['Date', 0],
          ['A', '2'],
        ],
        pauseAfter: PAUSE,
      },
      { expect: 'cached', expectHeaders: [['a', '1']] },
    ],
  },
  twoStep(
    'cc-resp-no-cache',
    [
      ['Cache-Control', 'max-age=10000, no-cache'],
      ['Expires', 10000],
      ['Date', 0],
    ],
    'not_cached',
    0,
  ),
  twoStep(
    'cc-resp-no-cache-case-insensitive',
    [
      ['Cache-Control', 'max-age=10000, No-CaChE'],
      ['Expires', 10000],
      ['Date', 0],
    ],
    'not_cached',
    0,
  ),
  twoStep(
    'cc-resp-no-cache-revalidate',
    [
      ['Cache-Control', 'no-cache'],
      ['ETag', '"abcd"'],
    ],
    'etag_validated',
    0,
  ),
  twoStep(
    'cc-resp-no-cache-revalidate-fresh',
    [
      ['Cache-Control', 'max-age=10000, no-cache'],
      ['Expires', 10000],
      ['Date', 0],
      ['ETag', '"abcd"'],
    ],
    'etag_validated',
    0,
  ),
  {
    id: 'headers-omit-headers-listed-in-Cache-Control-no-cache-single',
    check: true,
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'no-cache="a"'],
          ['a', '1'],
          ['b', '2'],
          ['Cache-Control', 'max-age=3600'],
          ['Date', 0],
        ],
        pauseAfter: PAUSE,
      },
      { expect: 'cached', expectHeaders: [['b', '2']], expectMissing: ['a'] },
    ],
  },
  {
    id: 'headers-omit-headers-listed-in-Cache-Control-no-cache',
    check: true,
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'no-cache="a, b"'],
          ['a', '1'],
          ['b', '2'],
          ['c', '3'],
          ['Cache-Control', 'max-age=3600'],
          ['Date', 0],
        ],
        pauseAfter: PAUSE,
      },
      { expect: 'cached', expectHeaders: [['c', '3']], expectMissing: ['a', 'b'] },
    ],
  },
  twoStep(
    'cc-resp-must-revalidate-fresh',
    [
      ['Cache-Control', 'max-age=10000, must-revalidate'],
      ['ETag', '"abcd"'],
    ],
    'cached',
    0,
  ),
  {
    id: 'cc-resp-must-revalidate-stale',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=2, must-revalidate'],
          ['ETag', '"abcd"'],
        ],
      },
      { expect: 'cached', pauseAfter: PAUSE },
      { expect: 'etag_validated' },
    ],
  },
);

// Cache-Control request directives (the suite only observes these)
const ask = (
  id: string,
  stored: Array<[string, string | number]>,
  request: string,
  expect: Expectation,
  pause = 0,
): CacheCase => ({
  id,
  check: true,
  steps: [
    { responseHeaders: stored, pauseAfter: pause },
    { requestHeaders: [['Cache-Control', request]], expect },
  ],
});
cases.push(
  ask('ccreq-ma0', fresh(), 'max-age=0', 'not_cached', PAUSE),
  ask('ccreq-ma1', fresh(), 'max-age=1', 'not_cached', PAUSE),
  ask(
    'ccreq-magreaterage',
    [
      ['Cache-Control', 'max-age=3600'],
      ['Age', '1800'],
    ],
    'max-age=600',
    'not_cached',
  ),
  ask('ccreq-max-stale', [['Cache-Control', 'max-age=1']], 'max-stale=1000', 'cached', PAUSE),
  ask(
    'ccreq-max-stale-age',
    [
      ['Cache-Control', 'max-age=1500'],
      ['Age', '2000'],
    ],
    'max-stale=1000',
    'cached',
  ),
  ask('ccreq-min-fresh', [['Cache-Control', 'max-age=1500']], 'min-fresh=2000', 'not_cached'),
  ask(
    'ccreq-min-fresh-age',
    [
      ['Cache-Control', 'max-age=1500'],
      ['Age', '1000'],
    ],
    'min-fresh=1000',
    'not_cached',
  ),
  ask('ccreq-no-cache', [['Cache-Control', 'max-age=3600']], 'no-cache', 'not_cached'),
  ask(
    'ccreq-no-cache-lm',
    [
      ['Cache-Control', 'max-age=3600'],
      ['Last-Modified', -10000],
      ['Date', 0],
    ],
    'no-cache',
    'lm_validated',
  ),
  ask(
    'ccreq-no-cache-etag',
    [
      ['Cache-Control', 'max-age=3600'],
      ['ETag', '"abc"'],
    ],
    'no-cache',
    'etag_validated',
  ),
  ask('ccreq-no-store', [['Cache-Control', 'max-age=3600']], 'no-store', 'not_cached'),
  {
    id: 'ccreq-oic',
    check: true,
    steps: [{ requestHeaders: [['Cache-Control', 'only-if-cached']], expectStatus: 504 }],
  },
);

// Serving stale
const becomeStale = (directives: string): Step => ({
  responseHeaders: [['Cache-Control', `max-age=2${directives}`]],
  pauseAfter: PAUSE,
});
cases.push(
  // Without a directive allowing it, we do not serve stale on errors (the suite only observes this).
  { id: 'stale-close', check: true, steps: [becomeStale(''), { disconnect: true, expect: 'not_cached' }] },
  {
    id: 'stale-503',
    check: true,
    steps: [becomeStale(''), { status: 503, expect: 'not_cached', expectStatus: 503 }],
  },
  {
    id: 'stale-sie-close',
    check: true,
    steps: [becomeStale(', stale-if-error=60'), { disconnect: true, expect: 'cached' }],
  },
  {
    id: 'stale-sie-503',
    check: true,
    steps: [becomeStale(', stale-if-error=60'), { status: 503, expect: 'cached', expectStatus: 200 }],
  },
  {
    id: 'stale-close-must-revalidate',
    steps: [becomeStale(', must-revalidate, stale-if-error=60'), { disconnect: true, expect: 'not_cached' }],
  },
  {
    id: 'stale-close-proxy-revalidate',
    steps: [becomeStale(', proxy-revalidate'), { disconnect: true, expect: 'not_cached' }],
  },
  {
    id: 'stale-close-no-cache',
    steps: [becomeStale(', no-cache, stale-if-error=60'), { disconnect: true, expect: 'not_cached' }],
  },
  {
    id: 'stale-close-s-maxage=2',
    steps: [becomeStale(', s-maxage=2'), { disconnect: true, expect: 'not_cached' }],
  },
);

// Vary
const varied = (vary: string): Array<[string, string | number]> => [
  ['Expires', 5000],
  ['Last-Modified', -3000],
  ['Date', 0],
  ['Vary', vary],
];
const vary = (
  id: string,
  first: Array<[string, string]>,
  second: Array<[string, string]>,
  header: string,
  expect: Expectation,
  check = false,
): CacheCase => ({
  id,
  check,
  steps: [
    { requestHeaders: first, responseHeaders: varied(header) },
    { requestHeaders: second, expect },
  ],
});
cases.push(
  vary('vary-match', [['Foo', '1']], [['Foo', '1']], 'Foo', 'cached'),
  vary('vary-no-match', [['Foo', '1']], [['Foo', '2']], 'Foo', 'not_cached'),
  vary('vary-omit', [['Foo', '1']], [], 'Foo', 'not_cached'),
  {
    id: 'vary-invalidate',
    steps: [
      { requestHeaders: [['Foo', '1']], responseHeaders: varied('Foo'), responseBody: 'foo_1' },
      {
        requestHeaders: [['Foo', '2']],
        responseHeaders: varied('Foo'),
        responseBody: 'foo_2',
        expect: 'not_cached',
      },
      { requestHeaders: [['Foo', '1']], expect: 'cached' },
    ],
  },
  vary(
    'vary-cache-key',
    [
      ['Foo', '1'],
      ['Other', '2'],
    ],
    [
      ['Foo', '1'],
      ['Other', '3'],
    ],
    'Foo',
    'cached',
  ),
  vary(
    'vary-2-match',
    [
      ['Foo', '1'],
      ['Bar', 'abc'],
    ],
    [
      ['Foo', '1'],
      ['Bar', 'abc'],
    ],
    'Foo, Bar',
    'cached',
  ),
  vary(
    'vary-2-no-match',
    [
      ['Foo', '1'],
      ['Bar', 'abc'],
    ],
    [
      ['Foo', '2'],
      ['Bar', 'abc'],
    ],
    'Foo, Bar',
    'not_cached',
  ),
  vary('vary-2-match-omit', [['Foo', '1']], [], 'Foo, Bar', 'not_cached'),
  vary(
    'vary-3-match',
    [
      ['Foo', '1'],
      ['Bar', 'abc'],
      ['Baz', '789'],
    ],
    [
      ['Foo', '1'],
      ['Bar', 'abc'],
      ['Baz', '789'],
    ],
    'Foo, Bar, Baz',
    'cached',
  ),
  vary(
    'vary-3-no-match',
    [
      ['Foo', '1'],
      ['Bar', 'abc'],
      ['Baz', '789'],
    ],
    [
      ['Foo', '2'],
      ['Bar', 'abc'],
      ['Baz', '789'],
    ],
    'Foo, Bar, Baz',
    'not_cached',
  ),
  vary(
    'vary-3-order',
    [
      ['Foo', '1'],
      ['Bar', 'abc4'],
      ['Baz', '789'],
    ],
    [
      ['Foo', '1'],
      ['Bar', 'abc'],
      ['Baz', '789'],
    ],
    'Foo, Bar, Baz',
    'not_cached',
  ),
  vary(
    'vary-3-omit',
    [
      ['Foo', '1'],
      ['Baz', '789'],
    ],
    [
      ['Foo', '1'],
      ['Baz', '789'],
    ],
    'Foo, Bar, Baz',
    'cached',
  ),
  vary(
    'vary-star',
    [
      ['Foo', '1'],
      ['Baz', '789'],
    ],
    [['Baz', '789']],
    '*',
    'not_cached',
  ),
  vary('vary-normalise-space', [['Foo', '1,2']], [['Foo', ' 1, 2 ']], 'Foo', 'cached'),
  vary(
    'vary-normalise-combine',
    [['Foo', '1, 2']],
    [
      ['Foo', '1'],
      ['Foo', '2'],
    ],
    'Foo',
    'cached',
  ),
  vary(
    'vary-normalise-lang-order',
    [['Accept-Language', 'en, de']],
    [['Accept-Language', 'de, en']],
    'Accept-Language',
    'not_cached',
    true,
  ),
);

// Validation with ETag
cases.push(
  {
    id: 'conditional-etag-vary-headers',
    steps: [
      {
        requestHeaders: [['Abc', '123']],
        responseHeaders: [
          ['Expires', 1],
          ['ETag', '"abcdef"'],
          ['Date', 0],
          ['Vary', 'Abc'],
        ],
        pauseAfter: PAUSE,
      },
      { requestHeaders: [['Abc', '123']], expect: 'etag_validated', expectRequestHeaders: [['abc', '123']] },
    ],
  },
  {
    id: 'conditional-etag-vary-headers-mismatch',
    check: true,
    steps: [
      {
        requestHeaders: [['Abc', '123']],
        responseHeaders: [
          ['Expires', 10000],
          ['ETag', '"abcdef"'],
          ['Date', 0],
          ['Vary', 'Abc'],
        ],
        pauseAfter: PAUSE,
      },
      { requestHeaders: [['Abc', '456']], expect: 'not_cached', expectRequestMissing: ['if-none-match'] },
    ],
  },
  {
    id: 'conditional-etag-strong-generate',
    steps: [
      becomeStaleWith([['ETag', '"abcdef"']]),
      { expect: 'etag_validated', expectRequestHeaders: [['if-none-match', '"abcdef"']] },
    ],
  },
  {
    id: 'conditional-etag-weak-generate-weak',
    steps: [
      becomeStaleWith([['ETag', 'W/"abcdef"']]),
      { expect: 'etag_validated', expectRequestHeaders: [['if-none-match', 'W/"abcdef"']] },
    ],
  },
  {
    // We send the validator exactly as the origin gave it.
    id: 'conditional-etag-strong-generate-unquoted',
    check: true,
    steps: [
      becomeStaleWith([['ETag', 'abcdef']]),
      { expect: 'etag_validated', expectRequestHeaders: [['if-none-match', 'abcdef']] },
    ],
  },
  {
    id: 'conditional-etag-forward',
    check: true,
    steps: [
      {
        requestHeaders: [['If-None-Match', '"abcdef"']],
        expectRequestHeaders: [['if-none-match', '"abcdef"']],
      },
    ],
  },
);

// The caller's own conditional requests, answered from a fresh stored response.
function respond(
  id: string,
  stored: Array<[string, string | number]>,
  request: Array<[string, string | number]>,
  expectStatus: number,
  more: Partial<CacheCase> & { last?: Partial<Step> } = {},
): CacheCase {
  const { last, ...rest } = more;
  return {
    id,
    steps: [
      { responseHeaders: fresh(stored), pauseAfter: PAUSE },
      { requestHeaders: request, expect: 'cached', expectStatus, ...last },
    ],
    ...rest,
  };
}

cases.push(
  respond('conditional-etag-strong-respond', [['ETag', '"abcdef"']], [['If-None-Match', '"abcdef"']], 304),
  respond('conditional-304-etag', [['ETag', '"abcdef"']], [['If-None-Match', '"abcdef"']], 304, {
    last: { expectHeaders: [['etag', '"abcdef"']], expectMissing: ['content-length'] },
  }),
  respond(
    'conditional-etag-precedence',
    [
      ['Last-Modified', -5000],
      ['ETag', '"abcdef"'],
    ],
    [
      ['If-None-Match', '"abcdef"'],
      ['If-Modified-Since', -1],
    ],
    304,
    { last: { magicIms: true } },
  ),
  respond(
    'conditional-etag-strong-respond-obs-text',
    [['ETag', '"abcdefü"']],
    [['If-None-Match', '"abcdefü"']],
    304,
    { check: true, last: { expectHeaders: [['etag', '"abcdefü"']] } },
  ),
  // Unquoted tags are compared as they are written: equal spellings match, a quoted and an unquoted one do not.
  respond(
    'conditional-etag-quoted-respond-unquoted',
    [['ETag', '"abcdef"']],
    [['If-None-Match', 'abcdef']],
    200,
    { check: true },
  ),
  respond(
    'conditional-etag-unquoted-respond-unquoted',
    [['ETag', 'abcdef']],
    [['If-None-Match', 'abcdef']],
    304,
    { check: true },
  ),
  respond(
    'conditional-etag-unquoted-respond-quoted',
    [['ETag', 'abcdef']],
    [['If-None-Match', '"abcdef"']],
    200,
    { check: true },
  ),
  respond('conditional-etag-weak-respond', [['ETag', 'W/"abcdef"']], [['If-None-Match', 'W/"abcdef"']], 304),
  respond(
    'conditional-etag-weak-respond-lowercase',
    [['ETag', 'w/"abcdef"']],
    [['If-None-Match', 'w/"abcdef"']],
    304,
    { check: true },
  ),
  respond(
    'conditional-etag-weak-respond-backslash',
    [['ETag', 'W\\"abcdef"']],
    [['If-None-Match', 'W\\"abcdef"']],
    304,
    { check: true },
  ),
  respond(
    'conditional-etag-weak-respond-omit-slash',
    [['ETag', 'W"abcdef"']],
    [['If-None-Match', 'W"abcdef"']],
    304,
    { check: true },
  ),
  respond(
    'conditional-etag-strong-respond-multiple-first',
    [['ETag', '"abcdef"']],
    [['If-None-Match', '"abcdef", "1234", "5678"']],
    304,
  ),
  respond(
    'conditional-etag-strong-respond-multiple-second',
    [['ETag', '"abcdef"']],
    [['If-None-Match', '"1234", "abcdef", "5678"']],
    304,
  ),
  respond(
    'conditional-etag-strong-respond-multiple-last',
    [['ETag', '"abcdef"']],
    [['If-None-Match', '"1234", "5678", "abcdef"']],
    304,
  ),
  {
    // Forwarded as the caller wrote it.
    id: 'conditional-etag-forward-unquoted',
    check: true,
    steps: [
      {
        requestHeaders: [['If-None-Match', 'abcdef']],
        expectRequestHeaders: [['if-none-match', 'abcdef']],
      },
    ],
  },
);

// Validation with Last-Modified, and the caller's If-Modified-Since
const lastModified: Array<[string, string | number]> = [
  ['Cache-Control', 'max-age=100000'],
  ['Last-Modified', -3000],
  ['Date', 0],
];
cases.push(
  {
    id: 'conditional-lm-fresh',
    steps: [
      { responseHeaders: lastModified, pauseAfter: PAUSE },
      { requestHeaders: [['If-Modified-Since', -3000]], magicIms: true, expect: 'cached', expectStatus: 304 },
    ],
  },
  {
    id: 'conditional-lm-fresh-earlier',
    steps: [
      { responseHeaders: lastModified, pauseAfter: PAUSE },
      { requestHeaders: [['If-Modified-Since', -2000]], magicIms: true, expect: 'cached', expectStatus: 304 },
    ],
  },
  {
    id: 'conditional-lm-stale',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=2'],
          ['Last-Modified', -3000],
          ['Date', 0],
        ],
        pauseAfter: PAUSE,
      },
      {
        requestHeaders: [['If-Modified-Since', -3000]],
        magicIms: true,
        expect: 'lm_validated',
        expectStatus: 304,
      },
    ],
  },
  {
    id: 'conditional-lm-fresh-rfc850',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=10000'],
          ['Last-Modified', -3000],
          ['Date', 0],
        ],
        pauseAfter: PAUSE,
      },
      {
        requestHeaders: [['If-Modified-Since', -3000]],
        magicIms: true,
        rfc850: ['if-modified-since'],
        expect: 'cached',
        expectStatus: 304,
      },
    ],
  },
);

function becomeStaleWith(headers: Array<[string, string]>): Step {
  return { responseHeaders: [['Cache-Control', 'max-age=2'], ...headers], pauseAfter: PAUSE };
}

// Invalidation by unsafe methods
for (const method of ['POST', 'PUT', 'DELETE', 'M-SEARCH']) {
  cases.push(
    {
      id: `invalidate-${method}`,
      steps: [{ responseHeaders: fresh() }, { method, body: 'abc' }, { expect: 'not_cached' }],
    },
    {
      id: `invalidate-${method}-failed`,
      steps: [{ responseHeaders: fresh() }, { method, body: 'abc', status: 500 }, { expect: 'cached' }],
    },
    {
      id: `invalidate-${method}-location`,
      steps: [
        { path: '/target', responseHeaders: fresh() },
        { method, body: 'abc', responseHeaders: [['Location', '/target']] },
        { path: '/target', responseHeaders: fresh(), expect: 'not_cached' },
      ],
    },
    {
      id: `invalidate-${method}-cl`,
      steps: [
        { path: '/target', responseHeaders: fresh() },
        { method, body: 'abc', responseHeaders: [['Content-Location', '/target']] },
        { path: '/target', responseHeaders: fresh(), expect: 'not_cached' },
      ],
    },
  );
}

// Age parsing (observed by the suite): the first valid integer counts; anything else is ignored.
for (const [id, ages, expect] of [
  ['age-parse-nonnumeric', ['abc'], 'cached'],
  ['age-parse-negative', ['-7200'], 'cached'],
  ['age-parse-float', ['7200.0'], 'cached'],
  ['age-parse-suffix', ['7200,0'], 'not_cached'],
  ['age-parse-suffix-twoline', ['7200', '0'], 'not_cached'],
  ['age-parse-prefix', ['0,7200'], 'cached'],
  ['age-parse-prefix-twoline', ['0', '7200'], 'cached'],
  ['age-parse-dup-0', ['0, 0'], 'cached'],
  ['age-parse-dup-0-twoline', ['0', '0'], 'cached'],
  ['age-parse-dup-old', ['7200, 7200'], 'not_cached'],
  ['age-parse-dup-old-twoline', ['7200', '7200'], 'not_cached'],
] as Array<[string, string[], Expectation]>) {
  cases.push(
    twoStep(
      id,
      [['Date', 0], ['Cache-Control', 'max-age=3600'], ...ages.map((age): [string, string] => ['Age', age])],
      expect,
      PAUSE,
      { check: true },
    ),
  );
}

// Status codes with explicit freshness
for (const status of [
  200, 203, 204, 299, 301, 302, 303, 307, 308, 400, 404, 410, 499, 500, 502, 503, 504, 599,
]) {
  cases.push(
    {
      id: `status-${status}-fresh`,
      steps: [
        { status, responseHeaders: fresh() },
        { status, expect: 'cached', expectStatus: status },
      ],
    },
    {
      id: `status-${status}-stale`,
      steps: [
        { status, responseHeaders: [['Cache-Control', 'max-age=1']], pauseAfter: PAUSE },
        { status, expect: 'not_cached', expectStatus: status },
      ],
    },
  );
}

// Headers updated by a 304 (the suite's update304): each field the 304 sends replaces the stored
// one, in the response it answers and in what is stored for later.
const LAST_MODIFIED = 'Wed, 14 Jan 2026 12:00:00 GMT';
cases.push({
  id: '304-lm-use-stored-Test-Header',
  steps: [
    {
      responseHeaders: [
        ['Cache-Control', 'max-age=1'],
        ['Last-Modified', LAST_MODIFIED],
        ['Date', 0],
        ['Test-Header', 'Test-Header-value-A'],
      ],
      pauseAfter: PAUSE,
    },
    {
      responseHeaders: [
        ['Cache-Control', 'max-age=3600'],
        ['Last-Modified', LAST_MODIFIED],
        ['Date', 0],
      ],
      expect: 'lm_validated',
      expectHeaders: [['test-header', 'Test-Header-value-A']],
    },
  ],
});

for (const [header, a = `${header}-value-A`, b = `${header}-value-B`] of [
  ['Test-Header'],
  ['X-Test-Header'],
  ['Content-Foo'],
  ['X-Content-Foo'],
  ['Content-Type', 'text/plain', 'text/plain;charset=utf-8'],
  ['Content-MD5', 'rL0Y20zC+Fzt72VPzMSk2A==', 'N7UdGUp1E+RbVvZSTy1R8g=='],
  ['Content-Location', '/foo', '/bar'],
  ['Content-Security-Policy', "default-src 'self'", "default-src 'self' cdn.example.com"],
  ['X-Frame-Options', 'deny', 'sameorigin'],
  ['X-XSS-Protection', '1', '1; mode=block'],
  ['Cache-Control', 'max-age=1', 'max-age=3600'],
  ['Expires', 1, 3600],
  ['Clear-Site-Data', 'cache', 'cookies'],
  ['Public-Key-Pins'],
  ['Set-Cookie', 'a=b', 'a=c'],
  ['Set-Cookie2', 'a=b', 'a=c'],
] as Array<[string, (string | number)?, (string | number)?]>) {
  const response = (
    value: string | number,
    validator: [string, string],
    lifetime: number,
  ): Array<[string, string | number]> => [
    header === 'Cache-Control' ? ['A', 'b'] : ['Cache-Control', `max-age=${lifetime}`],
    ['Date', 0],
    validator,
    [header, value],
  ];
  const lower = header.toLowerCase();
  for (const [kind, validator, expect] of [
    ['lm', ['Last-Modified', LAST_MODIFIED], 'lm_validated'],
    ['etag', ['ETag', `"${header}-etag-1"`], 'etag_validated'],
  ] as Array<[string, [string, string], Expectation]>) {
    // Expires is an offset the harness turns into a date when the second step (3 s in) is sent.
    const sent = typeof b === 'number' ? new Date(START + (PAUSE + b) * 1000).toUTCString() : b;
    const updated = (): Array<[string, string]> => [[lower, sent]];
    cases.push(
      {
        id: `304-${kind}-update-response-${header}`,
        steps: [
          { responseHeaders: response(a, validator, 1), pauseAfter: PAUSE },
          { responseHeaders: response(b, validator, 3600), expect, expectHeaders: updated() },
        ],
      },
      {
        id: `304-${kind}-update-stored-${header}`,
        steps: [
          { responseHeaders: response(a, validator, 1), pauseAfter: PAUSE },
          { responseHeaders: response(b, validator, 3600), expect, pauseAfter: PAUSE },
          { expect: 'cached', expectHeaders: updated() },
        ],
      },
    );
  }
}

// Pragma (observed by the suite). A request's `Pragma: no-cache` counts as `Cache-Control: no-cache`
// when it has no Cache-Control (RFC 9111 §5.4); the suite's runner always adds one, we do not.
cases.push(
  {
    id: 'pragma-request-no-cache',
    check: true,
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=3600']] },
      { requestHeaders: [['Pragma', 'no-cache']], expect: 'not_cached' },
    ],
  },
  {
    id: 'pragma-request-extension',
    check: true,
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=3600']] },
      { requestHeaders: [['Pragma', 'unrecognised-extension']], expect: 'cached' },
    ],
  },
  {
    id: 'pragma-response-no-cache',
    check: true,
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Pragma', 'no-cache'],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'pragma-response-no-cache-heuristic',
    check: true,
    steps: [
      {
        responseHeaders: [
          ['Last-Modified', -10000],
          ['Pragma', 'no-cache'],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'pragma-response-extension',
    check: true,
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Pragma', 'unrecognised-extension'],
        ],
      },
      { expect: 'cached' },
    ],
  },
);

// A shared cache and requests with Authorization (RFC 9111 §3.5): stored only when the response
// says so with public, must-revalidate or s-maxage.
for (const [id, cacheControl, expect] of [
  ['other-authorization', null, 'not_cached'],
  ['other-authorization-public', 'max-age=3600, public', 'cached'],
  ['other-authorization-must-revalidate', 'max-age=3600, must-revalidate', 'cached'],
  ['other-authorization-smaxage', 's-maxage=3600', 'cached'],
] as Array<[string, string | null, Expectation]>) {
  cases.push({
    id,
    shared: true,
    steps: [
      {
        requestHeaders: [['Authorization', 'FOO']],
        expectRequestHeaders: [['authorization', 'FOO']],
        responseHeaders: [
          cacheControl === null ? ['Expires', 30 * 24 * 60 * 60] : ['Cache-Control', cacheControl],
          ['Date', 0],
        ],
        pauseAfter: PAUSE,
      },
      { expect },
    ],
  });
}
