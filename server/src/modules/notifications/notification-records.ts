import { Injectable } from '@nestjs/common';
import { PSEUDONYMISED_TEXT } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import { InboxMessage } from './notification.entities';

/** A stored inbox message as other modules see it (they never import the entity). */
export type InboxMessageRow = InboxMessage;

/**
 * Messages as other modules read and write them. The notifications module owns the inbox; other
 * modules send through NotificationsService and never import its entities.
 */
@Injectable()
export class NotificationRecords {
  /** Replaces the text of every message that links to one of these records (retention: it named a person). */
  async pseudonymiseLinkedTo(manager: EntityManager, recordIds: string[]): Promise<void> {
    for (const id of recordIds) {
      await manager
        .createQueryBuilder()
        .update(InboxMessage)
        .set({ body: PSEUDONYMISED_TEXT })
        .where('link LIKE :link', { link: `%=${id}%` })
        .execute();
    }
  }
}
