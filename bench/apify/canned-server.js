// The canned-response server: a separate process that replays recorded Apify API answers, so a
// client benchmark measures the client, not the emulator. A request it has no answer for is sent
// once to the upstream (the emulator) and its answer recorded; every later request of the same
// shape is answered from memory. `node canned-server.js <upstream URL>` prints its URL.
import { createServer } from 'node:http';

const upstream = process.argv[2];
if (upstream === undefined) {
  console.error('usage: node canned-server.js <upstream base URL>');
  process.exit(2);
}

/** Query parameters that change the answer; names, tokens and cache busters do not. */
const ANSWER_PARAMS = ['offset', 'limit', 'desc', 'format', 'fields', 'omit', 'clean', 'skipEmpty'];
const ID = /^[A-Za-z0-9]{17}$|^[a-z0-9-]+~[a-z0-9-]+$/;

/**
 * One key per answer: the method, the path, and the parameters that shape the answer. A write's
 * IDs are generalised, so pushes to the fresh dataset of each round share one answer; a read keeps
 * them (two datasets' pages differ).
 */
function keyOf(method, url) {
  const parsed = new URL(url, 'http://canned');
  const path =
    method === 'GET' || method === 'HEAD'
      ? parsed.pathname
      : parsed.pathname
          .split('/')
          .map((part) => (ID.test(part) ? ':id' : part))
          .join('/');
  const query = ANSWER_PARAMS.filter((name) => parsed.searchParams.has(name))
    .map((name) => `${name}=${parsed.searchParams.get(name)}`)
    .join('&');
  return `${method} ${path}?${query}`;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);
const answers = new Map();
const stats = { replayed: 0, recorded: 0 };

async function record(req, key) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = { ...req.headers };
  delete headers.host;
  delete headers['content-length'];
  const response = await fetch(new URL(req.url, upstream), {
    method: req.method,
    headers,
    body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
  });
  const body = Buffer.from(await response.arrayBuffer());
  const kept = {};
  for (const [name, value] of response.headers) if (!HOP_BY_HOP.has(name)) kept[name] = value;
  kept['content-length'] = String(body.length);
  // Only successes are canned: a failed answer is not what a later request should get.
  const answer = { status: response.status, headers: kept, body };
  if (response.status < 400) answers.set(key, answer);
  stats.recorded += 1;
  return answer;
}

const server = createServer(async (req, res) => {
  if (req.url === '/__canned/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...stats, answers: answers.size }));
    return;
  }
  const key = keyOf(req.method, req.url);
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = await record(req, key);
  } else {
    stats.replayed += 1;
    // The request body is not needed, but must be read for the connection to be reused.
    req.resume();
    await new Promise((resolve) => req.on('end', resolve));
  }
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
