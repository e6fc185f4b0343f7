// A measurement child. `run`: one task in a fresh process (figures attributable to one client and
// one operation). `serve`: a task's `setup(args)` once (client built, warmed up), then one
// `measure()` per round when the harness asks, so rounds interleave without a fork per round.
process.on('disconnect', () => process.exit(1));

const reply = (message) => new Promise((resolve) => process.send(message, resolve));
const failure = (error) => ({ ok: false, error: error?.stack ?? String(error) });

process.once('message', async ({ mode, module, args }) => {
  let task;
  try {
    task = await import(module);
    if (mode === 'run') {
      await reply({ ok: true, result: await task.run(args) });
      process.exit(0);
    }
    const session = await task.setup(args);
    process.on('message', async (message) => {
      if (message === 'close') {
        await session.close();
        process.exit(0);
      }
      try {
        await reply({ ok: true, result: await session.measure() });
      } catch (error) {
        await reply(failure(error));
      }
    });
    await reply({ ok: true, result: 'ready' });
  } catch (error) {
    await reply(failure(error));
    process.exit(1);
  }
});
