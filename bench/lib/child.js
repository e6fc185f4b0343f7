// A measurement child: runs one task module's `run(args)` in a fresh process and reports its figures,
// so CPU time and RSS are attributable to one client and one workload.
process.once('message', async ({ module, args }) => {
  try {
    const task = await import(module);
    const result = await task.run(args);
    process.send({ ok: true, result }, () => process.exit(0));
  } catch (error) {
    process.send({ ok: false, error: error?.stack ?? String(error) }, () => process.exit(1));
  }
});
