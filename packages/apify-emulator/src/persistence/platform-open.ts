import { commitInMemory, type PlatformCommit } from './platform-commit.js';
import { PlatformStore, type Registries } from './platform-store.js';
import type { State } from './state.js';

/** How often unfinished runs (their status and log) are saved between the changes made over the API. */
const PLATFORM_SAVE_INTERVAL_MS = 250;

/**
 * With a storage folder: reads the platform's objects back, restarts the runs it was running, keeps
 * saving what changes on its own, and gives every registry the commit that journals an API change
 * before it is put in place. In memory there is no store, and changes are put in place at once.
 */
export async function openPlatform(
  state: State,
  registries: Registries,
  storageDir: string | null,
): Promise<{ platform: PlatformStore | null; commit: PlatformCommit }> {
  let platform: PlatformStore | null = null;
  if (storageDir !== null) {
    platform = new PlatformStore(state.persist, registries);
    const store = platform;
    const unfinished = platform.restore(state.platformRecords, new Date().toISOString());
    for (const run of unfinished) registries.runs.restartAfterHostFailure(run, Date.now());
    // The restarts, and functions registered before the restore, are saved at once.
    await platform.sync();
    registries.runs.onEvent(() => void store.sync().catch(() => undefined));
    platform.startTimer(PLATFORM_SAVE_INTERVAL_MS);
  }
  const commit: PlatformCommit = platform === null ? commitInMemory : platform.commit.bind(platform);
  const { runs, actors, tasks, schedules, webhooks } = registries;
  for (const registry of [runs, actors, tasks, schedules, webhooks]) registry.attachCommit(commit);
  return { platform, commit };
}
