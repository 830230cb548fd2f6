import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What a module above this one does when a pupil leaves by an effective change (the school line ends the pupil's absence alerts). */
export interface PupilChangeFollower {
  pupilLeft(manager: EntityManager, childId: string): Promise<void>;
}

/**
 * The followers of 学籍异动, registered by the modules that import this one (in their onModuleInit),
 * so this module imports none of them. Runs in the change's transaction.
 */
@Injectable()
export class PupilChangeFollowers {
  private readonly followers: PupilChangeFollower[] = [];

  register(follower: PupilChangeFollower): void {
    this.followers.push(follower);
  }

  async pupilLeft(manager: EntityManager, childId: string): Promise<void> {
    for (const follower of this.followers) await follower.pupilLeft(manager, childId);
  }
}
