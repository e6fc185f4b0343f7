import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../src/index.js';

const TOKEN = 'console-test-token';
let emulator: Emulator;
let base: string;

async function login(next: string): Promise<Response> {
  return fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ token: TOKEN, next }),
  });
}

beforeAll(async () => {
  emulator = createEmulator({ token: TOKEN });
  base = (await emulator.listen()).url;
});
afterAll(() => emulator.close());

describe('console access with --token', () => {
  it('answers 401 on every console page without the cookie, and serves login and assets', async () => {
    for (const path of ['/', '/console/runs', '/console/datasets', '/console/datasets/x']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(401);
      expect(await res.text()).toContain(`/console/login?next=${encodeURIComponent(path)}`);
    }
    expect((await fetch(`${base}/console/login`)).status).toBe(200);
    expect((await fetch(`${base}/console/assets/console.js`)).status).toBe(200);
  });

  it('sets an HttpOnly cookie that never contains the token, and redirects only to relative paths', async () => {
    const res = await login('/console/runs');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/console/runs');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^apify_emulator_console=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(cookie).not.toContain(TOKEN);
    const page = await fetch(`${base}/console/runs`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    for (const evil of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      expect((await login(evil)).headers.get('location')).toBe('/');
    }
  });

  it('refuses a wrong token and a cross-site post', async () => {
    const wrong = await fetch(`${base}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const cross = await fetch(`${base}/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ token: TOKEN }),
    });
    expect(cross.status).toBe(403);
  });

  it('sends a strict CSP and leaves /v2 auth as it was', async () => {
    const res = await fetch(`${base}/console/login`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const faulted = await fetch(`${base}/console/login`, { headers: { 'x-emulator-fault': '500' } });
    expect(faulted.status).toBe(200);
    const apiFaulted = await fetch(`${base}/v2/actor-runs`, {
      headers: { 'x-emulator-fault': '500', authorization: `Bearer ${TOKEN}` },
    });
    expect(apiFaulted.status).toBe(500);
    const api = await fetch(`${base}/v2/actor-runs`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { type: string } }).error.type).toBe('token-not-provided');
  });

  it('shows page 2 of a dataset with the chosen fields', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const created = await fetch(`${base}/v2/datasets?name=console-items`, { method: 'POST', headers: auth });
    const { id } = ((await created.json()) as { data: { id: string } }).data;
    const items = Array.from({ length: 5 }, (_, i) => ({ n: i, label: `item-${i}`, hidden: 'x' }));
    await fetch(`${base}/v2/datasets/${id}/items`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(items),
    });
    const cookie = ((await login('/')).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await fetch(`${base}/console/datasets/${id}?limit=2&offset=2&fields=n,label`, {
      headers: { cookie },
    });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<th scope="col">n</th><th scope="col">label</th></tr>');
    expect(html).toContain('<td>2</td><td>&quot;item-2&quot;</td>');
    expect(html).toContain('<td>3</td><td>&quot;item-3&quot;</td>');
    expect(html).not.toContain('item-4&quot;</td>');
    expect(html).not.toContain('hidden');
  });

  it('pretty-prints JSON, inlines PNG from a sandboxed raw route, and shows lock expiry', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const cookie = ((await login('/')).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const store = await fetch(`${base}/v2/key-value-stores?name=console-kv`, {
      method: 'POST',
      headers: auth,
    });
    const storeId = ((await store.json()) as { data: { id: string } }).data.id;
    await fetch(`${base}/v2/key-value-stores/${storeId}/records/CONFIG`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"a":1,"b":[2]}',
    });
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    await fetch(`${base}/v2/key-value-stores/${storeId}/records/shot`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'image/png' },
      body: png,
    });
    const keys = await (
      await fetch(`${base}/console/key-value-stores/${storeId}`, { headers: { cookie } })
    ).text();
    expect(keys).toContain(`records/CONFIG">CONFIG</a></td><td>15</td><td>application/json</td>`);
    expect(keys).toContain(`records/shot">shot</a></td><td>8</td><td>image/png</td>`);
    const json = await (
      await fetch(`${base}/console/key-value-stores/${storeId}/records/CONFIG`, { headers: { cookie } })
    ).text();
    expect(json).toContain(
      '<pre data-preview="json">{\n  &quot;a&quot;: 1,\n  &quot;b&quot;: [\n    2\n  ]\n}</pre>',
    );
    const image = await (
      await fetch(`${base}/console/key-value-stores/${storeId}/records/shot`, { headers: { cookie } })
    ).text();
    expect(image).toContain(`<img src="/console/key-value-stores/${storeId}/raw/shot" alt="Record shot"/>`);
    const raw = await fetch(`${base}/console/key-value-stores/${storeId}/raw/shot`, { headers: { cookie } });
    expect(raw.headers.get('content-security-policy')).toBe('sandbox');
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await raw.arrayBuffer())).toEqual(png);

    const queue = await fetch(`${base}/v2/request-queues?name=console-rq`, { method: 'POST', headers: auth });
    const queueId = ((await queue.json()) as { data: { id: string } }).data.id;
    await fetch(`${base}/v2/request-queues/${queueId}/requests`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/a', uniqueKey: 'a' }),
    });
    const before = Date.now();
    const locked = await fetch(
      `${base}/v2/request-queues/${queueId}/head/lock?lockSecs=600&limit=1&clientKey=crawler-1`,
      {
        method: 'POST',
        headers: auth,
      },
    );
    const until =
      ((await locked.json()) as { data: { items: { lockExpiresAt: string }[] } }).data.items[0]
        ?.lockExpiresAt ?? '';
    expect(Date.parse(until)).toBeGreaterThanOrEqual(before + 600_000);
    const html = await (
      await fetch(`${base}/console/request-queues/${queueId}`, { headers: { cookie } })
    ).text();
    expect(html).toContain('1 pending, 0 handled, 1 locked.');
    expect(html).toContain(
      `<td>https://example.com/a</td><td>locked</td><td>0</td><td>crawler-1</td><td><time datetime="${until}">${until}</time></td>`,
    );
  });

  it('resurrects a finished run from its form and lists actors', async () => {
    emulator.registerActor('quick-one', async (_input, ctx) => {
      ctx.log('done');
    });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const started = await fetch(`${base}/v2/acts/quick-one/runs?waitForFinish=30`, {
      method: 'POST',
      headers: auth,
    });
    const run = ((await started.json()) as { data: { id: string; status: string } }).data;
    expect(run.status).toBe('SUCCEEDED');
    const cookie = ((await login('/')).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await (await fetch(`${base}/console/runs/${run.id}`, { headers: { cookie } })).text();
    expect(page).toContain(`<form method="post" action="/console/runs/${run.id}/resurrect">`);
    const res = await fetch(`${base}/console/runs/${run.id}/resurrect`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: base },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/console/runs/${run.id}`);
    const again = await fetch(`${base}/v2/actor-runs/${run.id}?waitForFinish=30`, { headers: auth });
    const after = ((await again.json()) as { data: { status: string; log?: unknown } }).data;
    expect(after.status).toBe('SUCCEEDED');
    const log = await (await fetch(`${base}/v2/logs/${run.id}`, { headers: auth })).text();
    expect(log.match(/ done$/gm)?.length).toBe(2);
    const actors = await (await fetch(`${base}/console/actors`, { headers: { cookie } })).text();
    expect(actors).toContain('<td>quick-one</td>');
  });

  it("shows an actor's and a task's latest runs, a webhook's dispatches and a schedule's log", async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const post = async <T>(path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return ((await res.json()) as { data: T }).data;
    };
    const actor = emulator.registerActor('detailed', () => undefined);
    const task = await post<{ id: string }>('/v2/actor-tasks', { actId: actor.id, name: 'detailed-task' });
    const webhook = await post<{ id: string }>('/v2/webhooks', {
      eventTypes: ['ACTOR.RUN.SUCCEEDED'],
      condition: { actorTaskId: task.id },
      requestUrl: 'http://127.0.0.1:9/hook',
    });
    const schedule = await post<{ id: string }>('/v2/schedules', {
      name: 'detailed-schedule',
      cronExpression: '0 0 1 1 *',
      actions: [{ type: 'RUN_ACTOR', actorId: actor.id }],
    });
    const run = await post<{ id: string }>(`/v2/actor-tasks/${task.id}/runs?waitForFinish=30`);
    const cookie = ((await login('/')).headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = async (path: string): Promise<string> => {
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const runLink = `<a href="/console/runs/${run.id}">${run.id}</a>`;
    expect(await page('/console/actors')).toContain(`<a href="/console/actors/${actor.id}">${actor.id}</a>`);
    const actorPage = await page(`/console/actors/${actor.id}`);
    expect(actorPage).toContain('<caption>Latest runs</caption>');
    expect(actorPage).toContain(runLink);
    expect(actorPage).toContain('&quot;name&quot;: &quot;detailed&quot;');
    expect(await page(`/console/tasks/${task.id}`)).toContain(runLink);
    const dispatches = await fetch(`${base}/v2/webhooks/${webhook.id}/dispatches`, { headers });
    const [dispatch] = ((await dispatches.json()) as { data: { items: { id: string }[] } }).data.items;
    const webhookPage = await page(`/console/webhooks/${webhook.id}`);
    expect(webhookPage).toContain('<caption>Latest dispatches</caption>');
    expect(webhookPage).toContain(`<td>${dispatch?.id}</td><td>ACTOR.RUN.SUCCEEDED</td>`);
    const schedulePage = await page(`/console/schedules/${schedule.id}`);
    expect(schedulePage).toContain('<caption>Schedule log</caption>');
    expect(schedulePage).toContain('&quot;cronExpression&quot;: &quot;0 0 1 1 *&quot;');
    const missing = await fetch(`${base}/console/webhooks/nope`, { headers: { cookie } });
    expect(missing.status).toBe(404);
  });
});
