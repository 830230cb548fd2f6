import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { UploadPurpose } from '@baoxue/shared';
import { idColumn, timestampColumn } from '../../database/columns';

/** A file a user uploaded, stored privately on disk and only served through signed links. */
@Entity('uploads')
@Index('idx_uploads_owner', ['ownerId', 'createdAt'])
export class Upload {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'owner_id' })
  ownerId: string;

  @Column({ type: 'varchar', length: 24 })
  purpose: UploadPurpose;

  @Column({ type: 'varchar', length: 32 })
  mime: string;

  @Column({ type: 'int' })
  bytes: number;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  /** The record it became part of (a tip, a deferral application); null until then. */
  @Column({ ...idColumn, name: 'attached_to', nullable: true })
  attachedTo: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;
}
