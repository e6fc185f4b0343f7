import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * The browser suite drives Debian's Chromium. On a machine without it, as on a fresh clone where only
 * Node.js was installed, it is installed from Debian once; where that is impossible the suite fails
 * saying what to install, never skips.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit' });
  } catch (error) {
    throw new Error(
      `The console's browser tests need Chromium at ${CHROMIUM}, and installing it with apt-get failed: ` +
        `${(error as Error).message}. Install it (Debian/Ubuntu: apt-get install chromium) and run the tests again.`,
    );
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}
