// `node bench/cold-start/run.js [--quick]`: the cold-start workload alone, against the bench server.
import { startNodeServer } from '../lib/processes.js';
import { renderColdStart } from '../report/cold-start.js';
import { runColdStart } from './suite.js';

const quick = process.argv.includes('--quick');
const server = await startNodeServer(new URL('../server.js', import.meta.url));
try {
  const workload = await runColdStart({
    origin: `http://127.0.0.1:${server.port}`,
    rounds: quick ? 1 : 5,
    runs: quick ? 1 : 5,
    log: (line) => console.log(line),
  });
  console.log(`\n${renderColdStart(workload).join('\n')}`);
} finally {
  await server.stop();
}
