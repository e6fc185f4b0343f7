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
});
