import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import type { CaseSource, CaseStatus } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** The case of one child (BRIEF §4). Named DropoutCase: `Case` reads badly next to `switch`. */
@Entity('cases')
@Index('idx_cases_routing', ['routingCode', 'openedAt'])
@Index('idx_cases_school', ['schoolId', 'openedAt'])
@Index('idx_cases_due', ['routingCode', 'dueAt'])
@Index('idx_cases_child', ['childId'])
export class DropoutCase {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ type: 'varchar', length: 16 })
  status: CaseStatus;

  @Column({ type: 'varchar', length: 16 })
  source: CaseSource;

  /** The county whose officials own the case (the triage queue when no township is set). */
  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  /** The responsible township; null while the case waits in the county's triage queue. */
  @Column({ ...divisionCodeColumn, name: 'township_code', nullable: true })
  townshipCode: string | null;

  /** The child's village when known and inside the township. */
  @Column({ ...divisionCodeColumn, name: 'village_code', nullable: true })
  villageCode: string | null;

  /**
   * The code scope is checked against: the village (or township) once routed, the county while in
   * triage. A prefix of it selects what a county, township or village official may see.
   */
  @Column({ ...divisionCodeColumn, name: 'routing_code' })
  routingCode: string;

  /** The education line: the child's school when known. */
  @Column({ ...idColumn, name: 'school_id', nullable: true })
  schoolId: string | null;

  /** The responsible cadre (包抓干部). */
  @Column({ ...idColumn, name: 'assignee_id', nullable: true })
  assigneeId: string | null;

  @Column({ ...timestampColumn, name: 'opened_at' })
  openedAt: Date;

  /** When the current step is due; null when nothing is pending. */
  @Column({ ...timestampColumn, name: 'due_at', nullable: true })
  dueAt: Date | null;

  @Column({ ...timestampColumn, name: 'closed_at', nullable: true })
  closedAt: Date | null;

  /** Set when this case was merged into another; it then leaves every list. */
  @Column({ ...idColumn, name: 'merged_into_id', nullable: true })
  mergedIntoId: string | null;

  @Column({ type: 'int', name: 'tip_count' })
  tipCount: number;

  /** Optimistic lock: two officials cannot silently overwrite each other. */
  @VersionColumn()
  version: number;
}

/** Every routing decision: to whom, by which rule or by whom, and why. */
@Entity('case_routings')
@Index('idx_case_routings_case', ['caseId', 'at'])
export class CaseRouting {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'case_id' })
  caseId: string;

  @Column({ ...timestampColumn })
  at: Date;

  @Column({ ...divisionCodeColumn, name: 'township_code', nullable: true })
  townshipCode: string | null;

  @Column({ ...idColumn, name: 'school_id', nullable: true })
  schoolId: string | null;

  @Column({ type: 'varchar', length: 24 })
  rule: 'village' | 'township' | 'no_place' | 'outside_served' | 'manual' | 'returned_by_township' | 'merged';

  @Column({ ...idColumn, name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;
}

/** The case timeline: who did what, when. */
@Entity('case_events')
@Index('idx_case_events_case', ['caseId', 'at'])
export class CaseEvent {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'case_id' })
  caseId: string;

  @Column({ ...timestampColumn })
  at: Date;

  @Column({ ...idColumn, name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'simple-json', nullable: true })
  data: Record<string, string | number | boolean | null> | null;
}
