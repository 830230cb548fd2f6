import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DivisionLevel } from '@baoxue/shared';
import { divisionCodeColumn } from '../../database/columns';

/** 行政区划: one row per division, from province to village, keyed by its 12-digit code. */
@Entity('divisions')
export class Division {
  @PrimaryColumn(divisionCodeColumn)
  code: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 12 })
  level: DivisionLevel;

  @Index('idx_divisions_parent')
  @Column({ ...divisionCodeColumn, name: 'parent_code', nullable: true })
  parentCode: string | null;
}

/** A county this deployment serves: its tips are routed, its officials work here. */
@Entity('served_counties')
export class ServedCounty {
  @PrimaryColumn(divisionCodeColumn)
  code: string;

  /** Local policy (deadlines, rate limits); defaults apply to absent keys. */
  @Column({ type: 'simple-json' })
  settings: Record<string, unknown>;
}
