import { describe, expect, it } from 'vitest';
import { harness, MODES } from './helpers.js';

const SCHEMA = {
  title: 'Search',
  type: 'object',
  schemaVersion: 1,
  properties: { query: { title: 'Query', type: 'string', editor: 'textfield' } },
  required: ['query'],
};

describe.each(MODES)('builds: delete and the generated OpenAPI definition (%s)', (mode) => {
  it("openapi.json describes the actor's run endpoints with the build's input schema", async () => {
    // With a token set, only reads by raw ID go without one: the build's document is such a read.
    await using h = await harness(mode, { token: 'test-token' });
    const actor = h.emulator.registerActor('searcher', () => undefined, { inputSchema: SCHEMA });
    const build = await (await h.client.actor(actor.id).defaultBuild()).get();
    const definition = (await h.client.build(build?.id ?? '').getOpenApiDefinition()) as unknown as {
      openapi: string;
      info: Record<string, unknown>;
      servers: { url: string }[];
      paths: Record<string, { post: { operationId: string } }>;
      components: { schemas: { inputSchema: unknown } };
    };
    expect(build?.buildNumber).toBe('0.0.1');
    expect(definition.openapi).toBe('3.0.1');
    expect(definition.info).toEqual({
      title: 'searcher',
      description: '',
      version: '0.0',
      'x-build-id': build?.id,
    });
    expect(definition.servers).toEqual([{ url: `${h.client.baseUrl}` }]);
    expect(Object.keys(definition.paths)).toEqual([
      '/acts/emulator~searcher/run-sync-get-dataset-items',
      '/acts/emulator~searcher/runs',
      '/acts/emulator~searcher/run-sync',
    ]);
    expect(definition.paths['/acts/emulator~searcher/runs']?.post.operationId).toBe('runs');
    expect(definition.components.schemas.inputSchema).toEqual(SCHEMA);

    // The same document under the actor, with `default` naming the default build, and without a token.
    const anonymous = await h.raw(`/v2/actor-builds/${build?.id}/openapi.json`, {
      headers: { authorization: '' },
    });
    expect(anonymous.status).toBe(200);
    // Its `servers` follow the origin the request came to; the rest is the same document.
    const { servers: _, ...content } = definition;
    expect(await anonymous.json()).toMatchObject(content);
    const refused = await h.raw(`/v2/actors/${actor.id}/builds`, { headers: { authorization: '' } });
    expect(refused.status).toBe(401);
    const viaActor = await (await h.raw(`/v2/actors/${actor.id}/builds/default/openapi.json`)).json();
    expect(viaActor).toMatchObject(content);
  });

  it('DELETE actor-builds/{id} removes an untagged build; the tagged one is refused', async () => {
    await using h = await harness(mode);
    const actor = h.emulator.registerActor('rebuilt', () => undefined);
    const first = await (await h.client.actor(actor.id).defaultBuild()).get();
    const second = await h.client.actor(actor.id).build('0.0');
    expect(second.buildNumber).toBe('0.0.2');

    const refused = await h.raw(`/v2/actor-builds/${second.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.type).toBe('deleting-default-build');

    await h.client.build(first?.id ?? '').delete();
    expect(await h.client.build(first?.id ?? '').get()).toBeUndefined();
    const { items, total } = await h.client.actor(actor.id).builds().list();
    expect(total).toBe(1);
    expect(items.map((b) => b.id)).toEqual([second.id]);
    expect((await h.client.actor(actor.id).get())?.stats.totalBuilds).toBe(1);
  });

  it('a build used by an unfinished run cannot be deleted', async () => {
    await using h = await harness(mode, { runDurationMs: 60_000 });
    const actor = await h.client.actors().create({ name: 'busy' } as never);
    const run = await h.client.actor(actor.id).start();
    await h.client.actor(actor.id).build('0.0');
    const response = await h.raw(`/v2/actor-builds/${run.buildId}`, { method: 'DELETE' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({
      type: 'deleting-unfinished-build',
      message: `Build 0.0.1 is used by run '${run.id}', which has not finished`,
    });
    await h.client.run(run.id).abort();
    await h.client.build(run.buildId).delete();
    expect(await h.client.build(run.buildId).get()).toBeUndefined();
  });

  it('a build with a tag of its own leaves latest where it was', async () => {
    await using h = await harness(mode);
    const actor = h.emulator.registerActor('two-tags', () => undefined);
    const latest = await (await h.client.actor(actor.id).defaultBuild()).get();
    const beta = await h.client.actor(actor.id).build('0.0', { tag: 'beta' });
    const read = await h.client.actor(actor.id).get();
    expect(read?.taggedBuilds).toEqual({
      latest: { buildId: latest?.id, buildNumber: '0.0.1', finishedAt: latest?.finishedAt },
      beta: { buildId: beta.id, buildNumber: '0.0.2', finishedAt: beta.finishedAt },
    });
    const run = await h.client.actor(actor.id).start({}, { build: 'beta' });
    expect(run).toMatchObject({ buildId: beta.id, buildNumber: '0.0.2', options: { build: 'beta' } });
  });
});
