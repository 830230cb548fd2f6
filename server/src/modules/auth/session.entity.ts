import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../../database/columns';

/** A server-issued sign-in session. Only the SHA-256 of the token is stored. */
@Entity('sessions')
export class Session {
  @PrimaryColumn(idColumn)
  id: string;

  @Index('uq_sessions_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, name: 'token_hash' })
  tokenHash: string;

  @Index('idx_sessions_user')
  @Column({ ...idColumn, name: 'user_id' })
  userId: string;

  /** WeChat's session_key for this sign-in; never leaves the server. */
  @Column({ type: 'varchar', length: 64, name: 'wechat_session_key', nullable: true })
  wechatSessionKey: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @Column({ ...timestampColumn, name: 'expires_at' })
  expiresAt: Date;

  @Column({ ...timestampColumn, name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}
