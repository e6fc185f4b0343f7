import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EmulatorError } from '../errors.js';

const LOCK = 'emulator.lock';

interface LockContent {
  pid: number;
  hostname: string;
  startedAt: string;
  url: string | null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(path: string): Promise<LockContent | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockContent>;
    return typeof parsed.pid === 'number' ? (parsed as LockContent) : null;
  } catch {
    return null;
  }
}

/**
 * One emulator per storage folder: `emulator.lock` is created with O_EXCL and holds the owner's PID
 * (and its URL once it listens). A lock whose PID is no longer alive on this host is taken over.
 */
export class StorageLock {
  private readonly content: LockContent;
  private released = false;

  private constructor(
    private readonly path: string,
    pid: number,
  ) {
    this.content = { pid, hostname: hostname(), startedAt: new Date().toISOString(), url: null };
  }

  static async acquire(dir: string): Promise<StorageLock> {
    const lock = new StorageLock(join(dir, LOCK), process.pid);
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(lock.path, 'wx');
        try {
          await handle.writeFile(JSON.stringify(lock.content));
          await handle.sync();
        } finally {
          await handle.close();
        }
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error;
      }
      const holder = await readLock(lock.path);
      const sameHost = holder === null || holder.hostname === hostname();
      if (holder !== null && (!sameHost || isAlive(holder.pid))) {
        const where = holder.url === null ? '' : `, serving ${holder.url}`;
        throw new EmulatorError(
          'storage-locked',
          `The storage folder ${dir} is in use by another emulator (PID ${holder.pid} on ${holder.hostname}${where}); ` +
            `stop it first, or use another --storage-dir. The lock file is ${lock.path}.`,
        );
      }
      process.stderr.write(
        holder === null
          ? `apify-emulator: note: taking over ${lock.path}: it could not be read (left by a crashed start)\n`
          : `apify-emulator: note: taking over the stale lock ${lock.path} of PID ${holder.pid}, which is no longer running\n`,
      );
      await rm(lock.path, { force: true });
    }
  }

  /** Records where this emulator listens, so that a second one can name it. */
  async setUrl(url: string): Promise<void> {
    if (this.released || this.content.url !== null) return;
    this.content.url = url;
    await writeFile(this.path, JSON.stringify(this.content));
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const holder = await readLock(this.path);
    if (holder?.pid === this.content.pid && holder.startedAt === this.content.startedAt)
      await rm(this.path, { force: true });
  }
}
