// Progress of each phase: a live cli-progress bar on an interactive stderr, otherwise one summary line
// per phase on stdout, so logs and CI output stay readable and stdout never carries escape codes.
import cliProgress from 'cli-progress';
import { formatNumber, formatSeconds } from './style.js';

/**
 * @param {{ quiet: boolean, out: (line: string) => void }} options
 * @returns {{ phase: (label: string, total: number, unit: string) => { add(n: number): void, done(): number },
 *   stop: () => void }}
 */
export function createProgress({ quiet, out }) {
  const live = !quiet && process.stderr.isTTY === true;
  let active;
  const phase = (label, total, unit) => {
    const started = performance.now();
    const bar = live
      ? new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `    ${label.padEnd(22)} [{bar}] {value}/{total} ${unit}`,
            hideCursor: true,
            clearOnComplete: true,
            fps: 10,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    bar?.start(total, 0);
    active = bar;
    return {
      add(n) {
        bar?.increment(n);
      },
      /** Ends the phase and returns its duration in ms. */
      done() {
        const elapsed = performance.now() - started;
        bar?.stop();
        if (!quiet) {
          out(
            `    ${label.padEnd(22)} ${formatNumber(total).padStart(9)} ${unit.padEnd(9)} ${formatSeconds(elapsed)}`,
          );
        }
        return elapsed;
      },
    };
  };
  // A failed phase leaves its bar running and the cursor hidden; the error report stops it first.
  const stop = () => active?.stop();
  return { phase, stop };
}
