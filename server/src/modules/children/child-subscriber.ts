import type { EntitySubscriberInterface } from 'typeorm';
import type { ChildRow } from './child-records';
import { Child } from './child.entity';

/**
 * What another module extends (with @EventSubscriber(), listed in the data source's subscribers) to
 * hear of every write to children, in the writer's transaction, whatever code wrote it: the
 * registry keeps its enrolment tallies true this way. The children module knows nothing of who
 * listens, and the listener never imports the entity.
 */
export abstract class ChildSubscriber implements EntitySubscriberInterface<ChildRow> {
  listenTo(): typeof Child {
    return Child;
  }
}
