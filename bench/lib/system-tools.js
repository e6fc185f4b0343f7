// Optional peers that live outside npm: HTTPX (Debian's python3-httpx) and wrk. Installed with apt
// when missing and possible; otherwise their rows are skipped with a printed note.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// Debian's interpreter: a pyenv `python3` earlier on PATH would not see Debian's dist-packages.
export const SYSTEM_PYTHON = '/usr/bin/python3';

function succeeds(file, args) {
  try {
    execFileSync(file, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

function aptInstall(pkg) {
  if (!existsSync('/usr/bin/apt-get')) return `apt-get is not available to install ${pkg}`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return `not root, cannot install ${pkg}`;
  console.log(`installing ${pkg} with apt-get…`);
  if (succeeds('apt-get', ['install', '-y', '-q', pkg])) return null;
  // The package lists may be missing on a fresh machine.
  if (succeeds('apt-get', ['update', '-q']) && succeeds('apt-get', ['install', '-y', '-q', pkg])) return null;
  return `apt-get install ${pkg} failed`;
}

function ensure(check, pkg) {
  if (check()) return { available: true, note: null };
  const failure = aptInstall(pkg);
  if (failure === null && check()) return { available: true, note: null };
  return { available: false, note: failure ?? `${pkg} installed but still not usable` };
}

export function ensureHttpx() {
  return ensure(
    () => existsSync(SYSTEM_PYTHON) && succeeds(SYSTEM_PYTHON, ['-c', 'import httpx']),
    'python3-httpx',
  );
}

export function ensureWrk() {
  // `wrk --version` exits 1, so ask the shell whether it is on PATH.
  return ensure(() => succeeds('sh', ['-c', 'command -v wrk']), 'wrk');
}
