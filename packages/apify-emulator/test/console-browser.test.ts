import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../src/index.js';
import { ensureChromium } from './chromium.js';

const TOKEN = 'browser-console-token';
const SHOTS = process.env.CONSOLE_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'console-shots-'));
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let emulator: Emulator;
let base: string;
let browser: Browser;
let release = (): void => undefined;
const gate = new Promise<void>((resolve) => {
  release = resolve;
});

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = { authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string>) };
  const res = await fetch(`${base}${path}`, { ...init, headers });
  return ((await res.json()) as { data: T }).data;
}

beforeAll(async () => {
  emulator = createEmulator({ token: TOKEN });
  base = (await emulator.listen()).url;
  emulator.registerActor('logger', async (_input, ctx) => {
    ctx.log('first line');
    await gate;
    ctx.log('second line');
  });
  emulator.registerActor('waiter', (_input, ctx) => {
    ctx.log('waiting for abort');
    return new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
  });
  browser = await chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox'] });
}, 600_000);
afterAll(async () => {
  release();
  await browser?.close();
  await emulator.close();
});

async function loggedInPage() {
  const page = await browser.newPage();
  await page.goto(`${base}/console/runs`);
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.getByLabel('Emulator token').fill(TOKEN);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${base}/console/runs`);
  return page;
}

describe('console in a real Chromium', () => {
  it('follows a RUNNING run’s log live until the run ends', async () => {
    const run = await api<{ id: string }>('/v2/acts/logger/runs', { method: 'POST' });
    const page = await loggedInPage();
    await page.goto(`${base}/console/runs/${run.id}`);
    const log = page.locator('pre[data-log-src]');
    await expect.poll(() => log.textContent(), { timeout: 20_000 }).toContain('first line');
    expect(await log.getAttribute('data-log-state')).toBe('following');
    expect(await log.textContent()).not.toContain('second line');
    await page.screenshot({ path: join(SHOTS, 'console-run.png') });
    release();
    await page.waitForSelector('pre[data-log-state="ended"]', { timeout: 20_000 });
    expect(await log.textContent()).toContain('second line');
    // The run's fields follow it too, without a reload.
    await page.waitForSelector('.badge[data-field=status][data-status="SUCCEEDED"]', { timeout: 20_000 });
    expect(await page.locator('.badge[data-field=status]').textContent()).toBe('SUCCEEDED');
    expect(await page.locator('[data-field="exitCode"]').textContent()).toBe('0');
    expect(await page.locator('[data-field="statusMessage"]').textContent()).toBe('Run succeeded.');
    expect(await page.locator('[data-field="finishedAt"]').textContent()).toMatch(/^\d{4}-\d\d-\d\dT/);
    await page.close();
  });

  it('aborts a run from its Abort button', async () => {
    const run = await api<{ id: string }>('/v2/acts/waiter/runs', { method: 'POST' });
    const page = await loggedInPage();
    await page.goto(`${base}/console/runs/${run.id}`);
    await page.getByRole('button', { name: 'Abort' }).click();
    await page.waitForURL(`${base}/console/runs/${run.id}`);
    const finished = await api<{ status: string }>(`/v2/actor-runs/${run.id}?waitForFinish=30`);
    expect(finished.status).toBe('ABORTED');
    await page.close();
  });

  it('shows dataset page 2 with chosen fields, a PNG preview that loaded, and pretty JSON', async () => {
    const dataset = await api<{ id: string }>('/v2/datasets?name=shop', { method: 'POST' });
    const items = Array.from({ length: 30 }, (_, i) => ({ sku: `sku-${i}`, price: i * 10, note: 'n' }));
    await api(`/v2/datasets/${dataset.id}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(items),
    });
    const page = await loggedInPage();
    await page.goto(`${base}/console/datasets/${dataset.id}`);
    await page.getByLabel('Fields (comma-separated)').fill('sku,price');
    await page.getByLabel('Per page').fill('10');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('link', { name: 'Next page' }).click();
    const headers = await page.locator('table th').allTextContents();
    expect(headers).toEqual(['sku', 'price']);
    const firstRow = await page.locator('table tbody tr').first().locator('td').allTextContents();
    expect(firstRow).toEqual(['"sku-10"', '100']);
    expect(await page.locator('table tbody tr').count()).toBe(10);
    await page.screenshot({ path: join(SHOTS, 'console-dataset.png'), fullPage: true });

    const store = await api<{ id: string }>('/v2/key-value-stores?name=assets', { method: 'POST' });
    await fetch(`${base}/v2/key-value-stores/${store.id}/records/pixel`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'image/png' },
      body: PNG,
    });
    await fetch(`${base}/v2/key-value-stores/${store.id}/records/CONFIG`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{"depth":2}',
    });
    await page.goto(`${base}/console/key-value-stores/${store.id}/records/pixel`);
    const img = page.getByRole('img', { name: 'Record pixel' });
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
    await page.goto(`${base}/console/key-value-stores/${store.id}/records/CONFIG`);
    expect(await page.locator('pre[data-preview="json"]').textContent()).toBe('{\n  "depth": 2\n}');
    await page.close();
  });

  it('shows a locked request’s lock expiry', async () => {
    const queue = await api<{ id: string }>('/v2/request-queues?name=frontier', { method: 'POST' });
    await api(`/v2/request-queues/${queue.id}/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/', uniqueKey: 'home' }),
    });
    const head = await api<{ items: { lockExpiresAt: string }[] }>(
      `/v2/request-queues/${queue.id}/head/lock?lockSecs=300&clientKey=worker-7`,
      { method: 'POST' },
    );
    const page = await loggedInPage();
    await page.goto(`${base}/console/request-queues/${queue.id}`);
    const row = await page.locator('table tbody tr').first().locator('td').allTextContents();
    expect(row).toEqual(['https://example.com/', 'locked', '0', 'worker-7', head.items[0]?.lockExpiresAt]);
    await page.screenshot({ path: join(SHOTS, 'console-request-queue.png') });
    await page.close();
  });

  it('answers 401 without the cookie on every page but login', async () => {
    const page = await browser.newPage();
    for (const path of ['/', '/console/runs', '/console/datasets', '/console/key-value-stores']) {
      const res = await page.goto(`${base}${path}`);
      expect(res?.status()).toBe(401);
    }
    expect((await page.goto(`${base}/console/login`))?.status()).toBe(200);
    await page.close();
  });
});
