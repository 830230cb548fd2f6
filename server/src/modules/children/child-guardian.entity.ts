import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../../database/columns';

/** A guardian as the school roster lists them (not necessarily a user of the app). */
@Entity('child_guardians')
@Index('idx_child_guardians_child', ['childId'])
export class ChildGuardian {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ type: 'varchar', length: 32 })
  name: string;

  /** 父亲, 母亲, 祖父, … */
  @Column({ type: 'varchar', length: 16 })
  relation: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;
}
