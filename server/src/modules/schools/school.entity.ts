import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SchoolStage } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

@Entity('schools')
@Index('idx_schools_township', ['townshipCode', 'name'])
@Index('idx_schools_county', ['countyCode', 'name'])
export class School {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 8 })
  stage: SchoolStage;

  /** 学校标识码 */
  @Index('uq_schools_code', { unique: true })
  @Column({ type: 'varchar', length: 10, nullable: true })
  code: string | null;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @Column({ ...divisionCodeColumn, name: 'township_code' })
  townshipCode: string;

  @Column({ ...divisionCodeColumn, name: 'village_code', nullable: true })
  villageCode: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  address: string | null;

  @CreateDateColumn({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ ...timestampColumn, name: 'updated_at' })
  updatedAt: Date;
}
