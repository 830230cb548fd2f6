import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../../database/columns';

/** A one-time code a signed-in mini program user shows to sign in on a computer (the H5 console). */
@Entity('login_codes')
export class LoginCode {
  @PrimaryColumn(idColumn)
  id: string;

  @Index('uq_login_codes_code_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, name: 'code_hash' })
  codeHash: string;

  @Column({ ...idColumn, name: 'user_id' })
  userId: string;

  @Column({ ...timestampColumn, name: 'expires_at' })
  expiresAt: Date;

  @Column({ ...timestampColumn, name: 'used_at', nullable: true })
  usedAt: Date | null;
}
