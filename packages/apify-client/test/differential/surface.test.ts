import * as official from 'apify-client';
import { describe, expect, it } from 'vitest';
import * as ours from '../../src/index.js';
import { allCases } from './all-cases.js';

/** Runtime names of the official package's classes and their public methods. */
function officialMethods(): string[] {
  const methods: string[] = [];
  for (const [name, value] of Object.entries(official)) {
    if (typeof value !== 'function' || !name.endsWith('Client') || name === 'ApifyClient') continue;
    let proto = value.prototype as object | null;
    const seen = new Set<string>();
    while (proto !== null && proto !== Object.prototype) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        if (key !== 'constructor' && !key.startsWith('_')) seen.add(key);
      }
      proto = Object.getPrototypeOf(proto) as object | null;
    }
    for (const method of seen) methods.push(`${name}.${method}`);
  }
  return methods.sort();
}

const ourExports: Record<string, unknown> = ours;
const officialExports: Record<string, unknown> = official;

describe('the official surface', () => {
  it('every official export exists in ours, with the same kind', () => {
    const missing = Object.keys(official).filter((name) => !(name in ours));
    expect(missing).toEqual([]);
    for (const name of Object.keys(official)) {
      const theirs = (official as Record<string, unknown>)[name];
      if (name === 'default') continue;
      expect(typeof (ours as Record<string, unknown>)[name], name).toBe(typeof theirs);
    }
  });

  it('the enums have the same members and values', () => {
    for (const name of [
      'ActorListSortBy',
      'ActorSourceType',
      'DownloadItemsFormat',
      'PlatformFeature',
      'ScheduleActions',
      'WebhookDispatchStatus',
    ] as const) {
      expect(ourExports[name], name).toEqual(officialExports[name]);
    }
  });

  it('the default export holds the whole module, as the official one does', () => {
    const officialDefault = (official as unknown as { default: Record<string, unknown> }).default;
    for (const name of Object.keys(official).filter((key) => key !== 'default')) {
      expect((ours.default as Record<string, unknown>)[name], name).toBe(ourExports[name]);
      expect(officialDefault[name], name).toBeDefined();
    }
  });

  it('every method of every official resource client exists in ours and has a differential case', () => {
    const methods = officialMethods();
    const missingInOurs = methods.filter((qualified) => {
      const [className, method] = qualified.split('.') as [string, string];
      const ourClass = (ours as Record<string, unknown>)[className] as { prototype: object } | undefined;
      return (
        ourClass === undefined ||
        typeof (ourClass.prototype as Record<string, unknown>)[method] !== 'function'
      );
    });
    expect(missingInOurs).toEqual([]);
    const covered = new Set(allCases.map((testCase) => testCase.method));
    expect(methods.filter((method) => !covered.has(method))).toEqual([]);
    // The count quoted in the migration guide.
    expect(methods).toHaveLength(126);
  });

  it('ApifyClient has every official accessor and exposes token without printing it', async () => {
    const client = new ours.ApifyClient({ token: 'visible-token' });
    const officialClient = new official.ApifyClient({ token: 'visible-token' });
    for (const key of Object.getOwnPropertyNames(official.ApifyClient.prototype)) {
      if (key.startsWith('_') || key === 'constructor') continue;
      expect(typeof (client as unknown as Record<string, unknown>)[key], key).toBe('function');
    }
    expect(client.token).toBe(officialClient.token);
    expect(client.publicBaseUrl).toBe(officialClient.publicBaseUrl);
    expect(client.baseUrl).toBe(officialClient.baseUrl);
    expect(client.logger.getOptions().prefix).toBe(officialClient.logger.getOptions().prefix);
    const { inspect } = await import('node:util');
    expect(inspect(client)).not.toContain('visible-token');
    expect(JSON.stringify(client)).not.toContain('visible-token');
  });
});
