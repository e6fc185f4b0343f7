// Command-line flags of `bench/run.js`, checked before anything starts:
//   --only <id prefix>   just the workloads whose id starts with it (`get-1k`, `upload`, `apify-canned`)
//   --rounds <n>         measured rounds per workload (default 5, 1 with --quick)
//   --peers <a,b,…>      just these peers (by their row name), for profiling one comparison
export function parseFlags(argv) {
  const value = (flag) => {
    const at = argv.indexOf(flag);
    if (at === -1) return undefined;
    const next = argv[at + 1];
    if (next === undefined || next.startsWith('--')) fail(`${flag} needs a value`);
    return next;
  };
  const only = value('--only');
  const roundsText = value('--rounds');
  let rounds;
  if (roundsText !== undefined) {
    rounds = Number(roundsText);
    if (!Number.isInteger(rounds) || rounds < 1) fail(`--rounds takes a whole number ≥ 1, got ${roundsText}`);
  }
  const peersText = value('--peers');
  const peers =
    peersText === undefined
      ? undefined
      : peersText
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
  return { only, rounds, peers };
}

function fail(message) {
  console.error(message);
  process.exit(2);
}
