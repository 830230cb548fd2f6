import type { EntityManager } from 'typeorm';
import { isMysql } from '../../database/dialect';
import { CacheVersion } from './cache-version.entity';

/** Marks cached data changed, in the transaction that changes it: every instance drops its copy. */
export async function bumpCacheVersion(manager: EntityManager, name: string): Promise<void> {
  if (isMysql(manager))
    await manager.query('INSERT INTO cache_versions (name, version) VALUES (?, 1) ON DUPLICATE KEY UPDATE version = version + 1', [name]);
  else
    await manager.query('INSERT INTO cache_versions (name, version) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET version = version + 1', [
      name,
    ]);
}

/** How often an instance asks whether its copy is still current: a stale name lives at most this long elsewhere. */
export const CACHE_CHECK_MS = 1000;

/**
 * Tells an instance's in-memory cache when to drop its copy: `fresh()` reads the data's version at most
 * once per `CACHE_CHECK_MS` (one primary-key read) and answers false when another instance changed it.
 * The version is read before the data it guards, so a copy filled during a change is dropped at the next check.
 */
export class CacheVersionWatch {
  private known: number | null = null;
  private checkedAt = -Infinity;

  constructor(private readonly name: string) {}

  /** False when the cache must be cleared before use. */
  async fresh(manager: EntityManager): Promise<boolean> {
    const now = performance.now();
    if (now - this.checkedAt < CACHE_CHECK_MS) return true;
    this.checkedAt = now;
    const row = await manager.findOne(CacheVersion, { where: { name: this.name }, select: { version: true } });
    const version = row?.version ?? 0;
    const same = version === this.known;
    this.known = version;
    return same;
  }

  /** After this instance changed the data itself: check again on next use. */
  expire(): void {
    this.checkedAt = -Infinity;
  }
}
