import { describe, expect, it } from 'vitest';
import { harness, MODES } from './helpers.js';

const SCHEMA = {
  title: 'Crawler input',
  type: 'object',
  schemaVersion: 1,
  properties: {
    startUrl: { title: 'Start URL', type: 'string', editor: 'textfield', pattern: '^https?://' },
    maxPages: { title: 'Max pages', type: 'integer', minimum: 1, default: 10 },
  },
  required: ['startUrl'],
};

async function errorOf(
  promise: Promise<unknown>,
): Promise<{ statusCode: number; type: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode: number; type: string; message: string };
  }
  throw new Error('expected the call to fail');
}

describe.each(MODES)('actors: update, input validation, default build (%s)', (mode) => {
  it('PUT actors/{id} replaces the given fields and keeps the others, read back over HTTP', async () => {
    await using h = await harness(mode);
    const created = await h.client.actors().create({ name: 'scraper', description: 'first' } as never);
    const updated = await h.client.actor(created.id).update({
      name: 'renamed-scraper',
      title: 'My scraper',
      seoTitle: 'Scraper for shops',
      defaultRunOptions: { build: 'latest', timeoutSecs: 120, memoryMbytes: 1024 },
    } as never);
    expect(updated).toMatchObject({
      id: created.id,
      name: 'renamed-scraper',
      title: 'My scraper',
      description: 'first',
    });

    const read = await (await h.raw(`/v2/acts/emulator~renamed-scraper`)).json();
    expect(read.data).toMatchObject({
      id: created.id,
      name: 'renamed-scraper',
      title: 'My scraper',
      description: 'first',
      seoTitle: 'Scraper for shops',
      defaultRunOptions: { build: 'latest', timeoutSecs: 120, memoryMbytes: 1024, restartOnError: false },
    });
    expect(await h.client.actor('emulator/scraper').get()).toBeUndefined();

    const run = await h.client.actor(created.id).start();
    expect(run.options).toMatchObject({ build: 'latest', timeoutSecs: 120, memoryMbytes: 1024 });
  });

  it('rejects a bad update before changing anything', async () => {
    await using h = await harness(mode);
    const a = await h.client.actors().create({ name: 'first' } as never);
    await h.client.actors().create({ name: 'second' } as never);
    const taken = await errorOf(h.client.actor(a.id).update({ name: 'second', title: 'x' } as never));
    expect(taken).toMatchObject({ statusCode: 409, type: 'actor-name-not-unique' });
    const bad = await errorOf(
      h.client.actor(a.id).update({ title: 'y', defaultRunOptions: { memoryMbytes: 'lots' } } as never),
    );
    expect(bad).toMatchObject({ statusCode: 400, type: 'invalid-value' });
    expect(bad.message).toContain('defaultRunOptions.memoryMbytes');
    const read = await h.client.actor(a.id).get();
    expect(read).toMatchObject({ name: 'first', title: null });
  });

  it('validate-input checks the body against the input schema with the JSON Schema rules', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('validated', () => undefined, { inputSchema: SCHEMA });
    const actor = h.client.actor('emulator/validated');
    expect(await actor.validateInput({ startUrl: 'https://shop.test', maxPages: 3 })).toBe(true);

    const missing = await errorOf(actor.validateInput({ maxPages: 3 }));
    expect(missing).toMatchObject({ statusCode: 400, type: 'invalid-input' });
    expect(missing.message).toBe('Input is not valid: Field input.startUrl is required');

    const wrong = await errorOf(actor.validateInput({ startUrl: 'ftp://x', maxPages: 0 }));
    expect(wrong.message).toBe(
      'Input is not valid: Field input.startUrl must match pattern "^https?://"; Field input.maxPages must be >= 1',
    );
  });

  it('registerActor refuses an input schema that is not an object schema, naming the actor', async () => {
    await using h = await harness(mode);
    expect(() =>
      h.emulator.registerActor('bad-schema', () => undefined, { inputSchema: { type: 'string' } }),
    ).toThrow(
      expect.objectContaining({
        name: 'EmulatorError',
        code: 'invalid-argument',
        message: `Input schema of 'bad-schema': the input schema must be an object with type "object"`,
      }),
    );
    expect(await h.client.actor('bad-schema').get()).toBeUndefined();
  });

  it('an actor without an input schema accepts any input', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('free-form', () => undefined);
    expect(await h.client.actor('free-form').validateInput({ anything: [1, 2] })).toBe(true);
  });

  it('a run gets the schema defaults and an invalid input starts no run', async () => {
    await using h = await harness(mode);
    let seen: unknown;
    h.emulator.registerActor(
      'defaults',
      (input) => {
        seen = input;
      },
      { inputSchema: SCHEMA },
    );
    const run = await h.client.actor('defaults').call({ startUrl: 'https://a.test' }, { log: null });
    expect(run.status).toBe('SUCCEEDED');
    expect(seen).toEqual({ startUrl: 'https://a.test', maxPages: 10 });
    expect((await h.client.keyValueStore(run.defaultKeyValueStoreId).getRecord('INPUT'))?.value).toEqual({
      maxPages: 10,
      startUrl: 'https://a.test',
    });

    const refused = await errorOf(h.client.actor('defaults').start({ maxPages: 2 }));
    expect(refused).toMatchObject({ statusCode: 400, type: 'invalid-input' });
    expect((await h.client.actor('defaults').runs().list()).total).toBe(1);
  });

  it('the input schema of a source-files version is read from .actor/actor.json at build time', async () => {
    await using h = await harness(mode);
    const actor = await h.client.actors().create({
      name: 'from-source',
      versions: [
        {
          versionNumber: '0.1',
          sourceType: 'SOURCE_FILES',
          buildTag: 'latest',
          sourceFiles: [
            {
              name: '.actor/actor.json',
              format: 'TEXT',
              content: JSON.stringify({ actorSpecification: 1, input: './input.json' }),
            },
            { name: '.actor/input.json', format: 'TEXT', content: JSON.stringify(SCHEMA) },
          ],
        },
      ],
    } as never);
    expect(await h.client.actor(actor.id).validateInput({ startUrl: 'https://b.test' })).toBe(true);
    expect((await errorOf(h.client.actor(actor.id).validateInput({}))).type).toBe('invalid-input');

    const defaultBuild = await (await h.client.actor(actor.id).defaultBuild()).get();
    expect(defaultBuild).toMatchObject({ status: 'SUCCEEDED', buildNumber: '0.1.1' });
    expect(JSON.parse(defaultBuild?.inputSchema ?? 'null')).toEqual(SCHEMA);
  });

  it('a broken input schema fails the build and leaves the tag where it was', async () => {
    await using h = await harness(mode);
    const actor = await h.client.actors().create({ name: 'broken' } as never);
    const first = await (await h.client.actor(actor.id).defaultBuild()).get();
    await h.client
      .actor(actor.id)
      .version('0.0')
      .update({
        sourceType: 'SOURCE_FILES',
        sourceFiles: [
          { name: 'INPUT_SCHEMA.json', format: 'TEXT', content: '{"type": "object", "properties": ' },
        ],
      } as never);
    const failed = await h.client.actor(actor.id).build('0.0');
    expect(failed.status).toBe('FAILED');
    expect(await h.client.build(failed.id).log().get()).toContain('INPUT_SCHEMA.json is not valid JSON');
    expect((await (await h.client.actor(actor.id).defaultBuild()).get())?.id).toBe(first?.id);
  });

  it('names an unknown build', async () => {
    await using h = await harness(mode);
    h.emulator.registerActor('tagged', () => undefined);
    const error = await errorOf(h.client.actor('tagged').start({}, { build: 'beta' }));
    expect(error).toMatchObject({ statusCode: 400, type: 'unknown-build-tag' });
    expect(error.message).toContain("'beta'");
  });
});
