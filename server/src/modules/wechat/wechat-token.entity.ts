import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../../database/columns';

/**
 * The mini program's access token, one for every instance (WeChat's stable_token is rate limited,
 * and a forced refresh elsewhere invalidates the token an instance keeps). Refreshed under a lease:
 * the instance whose conditional update claims `refresh_until` calls WeChat, the others wait and read.
 */
@Entity('wechat_access_tokens')
export class WechatAccessToken {
  @PrimaryColumn({ type: 'varchar', length: 64, name: 'app_id' })
  appId: string;

  @Column({ type: 'varchar', length: 512, name: 'access_token', nullable: true })
  accessToken: string | null;

  @Column({ ...timestampColumn, name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  /** The instance refreshing the token now, and until when its claim holds (then another may take over). */
  @Column({ type: 'varchar', length: 36, name: 'refresh_by', nullable: true })
  refreshBy: string | null;

  @Column({ ...timestampColumn, name: 'refresh_until', nullable: true })
  refreshUntil: Date | null;
}
