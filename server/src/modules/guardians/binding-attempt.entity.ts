import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../../database/columns';

/**
 * Every try to bind a child, kept in the database so the lockout after wrong attempts holds across
 * restarts and server processes, and so a guessing account can be seen afterwards.
 */
@Entity('binding_attempts')
@Index('idx_binding_attempts_user', ['userId', 'at'])
export class BindingAttempt {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'user_id' })
  userId: string;

  @Column({ ...timestampColumn })
  at: Date;

  @Column({ type: 'boolean' })
  succeeded: boolean;

  @Column({ ...idColumn, name: 'child_id', nullable: true })
  childId: string | null;
}
