import { AsyncLocalStorage } from 'node:async_hooks';
import type { Doc, PlatformKind } from './platform-codec.js';

/** Whether the API request being served has had a change committed. */
export interface CommitScope {
  committed: boolean;
}

/** The request being served, as seen from the commits made while serving it. */
export const commitScope = new AsyncLocalStorage<CommitScope>();

/**
 * The write path of a platform object changed over the API: its new document (null: its removal) is
 * journaled, and only once that is durable does `install` put the change in place, so a write whose
 * fsync failed is neither visible nor acted on (no run started, no webhook armed) and a retry stores it
 * once. Resolves with what `install` returned; rejects, without installing, when the journal failed.
 */
export type PlatformCommit = <T>(
  kind: PlatformKind,
  id: string,
  doc: Doc | null,
  install: () => T,
) => Promise<T>;

/** In memory nothing needs to become durable: the change is put in place at once. */
export const commitInMemory: PlatformCommit = async (_kind, _id, _doc, install) => install();
