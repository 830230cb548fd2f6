import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The version of data an instance may keep in memory (the division names): bumped in the
 * transaction that changes the data, read by every instance at most once a second, so a change
 * made through one instance reaches the caches of all of them.
 */
@Entity('cache_versions')
export class CacheVersion {
  /** What is cached, e.g. `divisions`. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  name: string;

  @Column({ type: 'integer' })
  version: number;
}
