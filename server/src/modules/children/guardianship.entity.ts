import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../../database/columns';

/** A parent (a signed-in user) bound to a child; one child may have several guardians. */
@Entity('guardianships')
@Index('idx_guardianships_user', ['userId'])
export class Guardianship {
  @PrimaryColumn({ ...idColumn, name: 'child_id' })
  childId: string;

  @PrimaryColumn({ ...idColumn, name: 'user_id' })
  userId: string;

  /** 父亲, 母亲, 祖父母, … as the parent said. */
  @Column({ type: 'varchar', length: 16 })
  relation: string;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;
}
