import { describe, expect, it } from 'vitest';
import { harness, MODES } from './helpers.js';

const SECRET = 's3cr3t-value-never-shown';

describe.each(MODES)('actor versions and environment variables (%s)', (mode) => {
  it('versions CRUD, read back over HTTP', async () => {
    await using h = await harness(mode);
    const actor = await h.client.actors().create({ name: 'versioned' } as never);
    const versions = h.client.actor(actor.id).versions();
    expect(await versions.list()).toEqual({
      total: 1,
      items: [
        {
          versionNumber: '0.0',
          sourceType: 'SOURCE_FILES',
          envVars: [],
          applyEnvVarsToBuild: false,
          buildTag: 'latest',
          sourceFiles: [],
        },
      ],
    });
    const created = await versions.create({
      versionNumber: '1.2',
      sourceType: 'GIT_REPO',
      gitRepoUrl: 'https://github.com/example/actor',
      buildTag: 'beta',
    } as never);
    expect(created).toEqual({
      versionNumber: '1.2',
      sourceType: 'GIT_REPO',
      envVars: [],
      applyEnvVarsToBuild: false,
      buildTag: 'beta',
      gitRepoUrl: 'https://github.com/example/actor',
    });
    const duplicate = await h.raw(`/v2/actors/${actor.id}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ versionNumber: '1.2', sourceType: 'SOURCE_FILES' }),
    });
    expect(duplicate.status).toBe(400);
    expect((await duplicate.json()).error.type).toBe('version-already-exists');

    await h.client
      .actor(actor.id)
      .version('1.2')
      .update({ buildTag: 'stable' } as never);
    const read = await (await h.raw(`/v2/actors/${actor.id}/versions/1.2`)).json();
    expect(read.data).toMatchObject({ buildTag: 'stable', gitRepoUrl: 'https://github.com/example/actor' });
    expect((await h.client.actor(actor.id).get())?.versions.map((v) => v.versionNumber)).toEqual([
      '0.0',
      '1.2',
    ]);

    await h.client.actor(actor.id).version('0.0').delete();
    expect(await h.client.actor(actor.id).version('0.0').get()).toBeUndefined();
    const last = await h.raw(`/v2/actors/${actor.id}/versions/1.2`, { method: 'DELETE' });
    expect(last.status).toBe(400);
    expect((await last.json()).error.type).toBe('too-few-versions');
  });

  it('env vars CRUD; a secret value appears in no response', async () => {
    await using h = await harness(mode);
    const actor = await h.client.actors().create({ name: 'with-env' } as never);
    const envVars = h.client.actor(actor.id).version('0.0').envVars();
    expect(await envVars.create({ name: 'PLAIN', value: 'visible' })).toEqual({
      name: 'PLAIN',
      value: 'visible',
      isSecret: false,
    });
    expect(await envVars.create({ name: 'API_KEY', value: SECRET, isSecret: true })).toEqual({
      name: 'API_KEY',
      isSecret: true,
    });
    expect(await envVars.list()).toEqual({
      total: 2,
      items: [
        { name: 'PLAIN', value: 'visible', isSecret: false },
        { name: 'API_KEY', isSecret: true },
      ],
    });
    const updated = await h.client
      .actor(actor.id)
      .version('0.0')
      .envVar('API_KEY')
      .update({
        name: 'API_KEY',
        value: `${SECRET}-2`,
        isSecret: false,
      });
    // Once secret, always secret.
    expect(updated).toEqual({ name: 'API_KEY', isSecret: true });

    const bodies = await Promise.all(
      [
        `/v2/actors/${actor.id}`,
        `/v2/acts/${actor.id}`,
        `/v2/actors/${actor.id}/versions`,
        `/v2/actors/${actor.id}/versions/0.0`,
        `/v2/actors/${actor.id}/versions/0.0/env-vars`,
        `/v2/actors/${actor.id}/versions/0.0/env-vars/API_KEY`,
        '/v2/actors',
      ].map(async (path) => (await h.raw(path)).text()),
    );
    for (const body of bodies) {
      expect(body).toContain('API_KEY');
      expect(body).not.toContain(SECRET);
    }

    const renamed = await h.raw(`/v2/actors/${actor.id}/versions/0.0/env-vars/PLAIN`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'OTHER', value: 'x' }),
    });
    expect(renamed.status).toBe(400);
    expect((await renamed.json()).error.type).toBe('cannot-rename-env-var');
    const again = await h.raw(`/v2/actors/${actor.id}/versions/0.0/env-vars`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'PLAIN', value: 'twice' }),
    });
    expect((await again.json()).error.type).toBe('env-var-already-exists');

    await h.client.actor(actor.id).version('0.0').envVar('PLAIN').delete();
    expect(await h.client.actor(actor.id).version('0.0').envVar('PLAIN').get()).toBeUndefined();
    expect((await envVars.list()).total).toBe(1);
  });

  it("a run's function sees its build's variables, secrets in clear", async () => {
    await using h = await harness(mode);
    const seen: Record<string, string>[] = [];
    const actor = h.emulator.registerActor('env-reader', (_input, ctx) => {
      seen.push({ ...ctx.env });
    });
    const envVars = h.client.actor(actor.id).version('0.0').envVars();
    await envVars.create({ name: 'REGION', value: 'eu' });
    await envVars.create({ name: 'TOKEN', value: SECRET, isSecret: true });

    // As on the platform, variables belong to the build: a run of the old build does not see them.
    await h.client.actor(actor.id).call(undefined, { log: null });
    await h.client.actor(actor.id).build('0.0');
    await h.client.actor(actor.id).call(undefined, { log: null });
    expect(seen).toEqual([{}, { REGION: 'eu', TOKEN: SECRET }]);
    expect(await h.client.actor(actor.id).lastRun().log().get()).not.toContain(SECRET);
  });
});
