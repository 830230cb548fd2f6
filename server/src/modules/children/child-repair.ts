import type { EntityManager } from 'typeorm';

/**
 * Repairs a database written before the child registry (see the one-child migration): sets missing
 * county codes, merges exact duplicates (one ID number, several records; several open cases of one
 * child), links tip-made children to roster children by the registry's rules, and lists uncertain
 * pairs for review. Idempotent: a second run finds nothing to do.
 */
export async function repairChildRecords(_manager: EntityManager): Promise<void> {
  // filled in by the repair work of this issue
}
