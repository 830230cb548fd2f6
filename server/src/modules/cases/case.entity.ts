import { Column, Entity, Index, PrimaryColumn, VersionColumn } from 'typeorm';
import type { CaseSource, CaseStatus, DropoutCause, EscalationStep, NotDropoutReason, PlacementMode } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** A generated prefix of the routing code: stored, so reading it costs nothing; the database keeps it. */
const ROUTING_PART = { type: 'varchar', generatedType: 'STORED', nullable: true, insert: false, update: false, select: false } as const;

/** What a case's due date is for; each has its own deadline rule in the county settings. */
export type DueKind = 'accept' | 'verify' | 'first_visit' | 'notice' | 'notice_deadline' | 'attendance' | 'school_confirmation';

/** The case of one child (BRIEF §4). Named DropoutCase: `Case` reads badly next to `switch`. */
@Entity('cases')
@Index('idx_cases_routing', ['routingCode', 'openedAt'])
@Index('idx_cases_school', ['schoolId', 'openedAt'])
@Index('idx_cases_due', ['routingCode', 'dueAt'])
@Index('idx_cases_child', ['childId'])
@Index('idx_cases_retention', ['countyCode', 'closedAt'])
@Index('idx_cases_confirmed', ['confirmedAt'])
// The inbox (priority groups first, then newest) of each scope is one index range, read in order and
// stopped after a page: a county, a township, a village or the triage queue, a school.
@Index('idx_cases_inbox_county', ['routingCounty', 'priority', 'id'])
@Index('idx_cases_inbox_township', ['routingTownship', 'priority', 'id'])
@Index('idx_cases_inbox_routing', ['routingCode', 'priority', 'id'])
@Index('idx_cases_inbox_school', ['schoolId', 'priority', 'id'])
// the inbox's overdue count of a county or a township, read from the index alone
@Index('idx_cases_overdue_county', ['routingCounty', 'dueAt', 'mergedIntoId'])
@Index('idx_cases_overdue_township', ['routingTownship', 'dueAt', 'mergedIntoId'])
// a number is given once in a county; led by the number, the key also serves a search by number
@Index('uq_cases_number', ['caseNumber', 'countyCode'], { unique: true })
export class DropoutCase {
  @PrimaryColumn(idColumn)
  id: string;

  /**
   * 案件编号, `光山-2026-000123` (`formatCaseNumber`): the county's sequence of the year the case opened,
   * reserved from `case_number_counters` in the transaction that inserts the case. Every path that
   * opens a case writes it and the migration numbered the cases before it; the column is nullable
   * only because SQLite cannot add a NOT NULL column without a default to a table with rows.
   */
  @Column({ type: 'varchar', length: 40, name: 'case_number', nullable: true })
  caseNumber: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  /**
   * The child, while the case is open (not finished, not merged); null otherwise. Unique: the
   * database holds "one open case per child" whatever the code path.
   */
  @Index('uq_cases_open_child', { unique: true })
  @Column({ ...idColumn, name: 'open_child_id', nullable: true })
  openChildId: string | null;

  /** 1 when the child is in a priority group (BRIEF §4): such cases are listed first. */
  @Column({ type: 'integer', default: 0 })
  priority: number;

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

  /**
   * The routing code's county and township parts (its first 6 and 9 digits), computed by the
   * database so they cannot drift from it: a county's or a township's scope (`routing_code LIKE
   * '411522%'`) is then an equality that an index serves together with the inbox order. Never
   * written or read by the code (`INBOX_SCOPE` names them for queries).
   */
  @Column({ ...ROUTING_PART, length: 6, name: 'routing_county', asExpression: 'substr(routing_code, 1, 6)' })
  routingCounty?: string;

  @Column({ ...ROUTING_PART, length: 9, name: 'routing_township', asExpression: 'substr(routing_code, 1, 9)' })
  routingTownship?: string;

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

  /** What is due at `dueAt` (a DueKind). */
  @Column({ type: 'varchar', length: 24, name: 'due_kind', nullable: true })
  dueKind: DueKind | null;

  /** Who an overdue step has climbed to: null (the cadre), the township leader, the county. */
  @Column({ type: 'varchar', length: 16, name: 'escalated_to', nullable: true })
  escalatedTo: 'leader' | 'county' | null;

  @Column({ type: 'simple-json', nullable: true })
  causes: DropoutCause[] | null;

  /** Steps of the escalation ladder taken, in order. */
  @Column({ type: 'simple-json', name: 'escalation_steps', nullable: true })
  escalationSteps: EscalationStep[] | null;

  @Column({ ...timestampColumn, name: 'confirmed_at', nullable: true })
  confirmedAt: Date | null;

  @Column({ type: 'varchar', length: 16, name: 'not_dropout_reason', nullable: true })
  notDropoutReason: NotDropoutReason | null;

  /** A transfer given as the reason: the receiving school must confirm before the case closes. */
  @Column({ ...idColumn, name: 'confirming_school_id', nullable: true })
  confirmingSchoolId: string | null;

  /** 返校: the school, grade, placement and date of return. */
  @Column({ type: 'varchar', length: 10, name: 'returned_on', nullable: true })
  returnedOn: string | null;

  @Column({ ...idColumn, name: 'return_school_id', nullable: true })
  returnSchoolId: string | null;

  @Column({ type: 'int', name: 'return_grade', nullable: true })
  returnGrade: number | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  placement: PlacementMode | null;

  @Column({ ...timestampColumn, name: 'closed_at', nullable: true })
  closedAt: Date | null;

  /** Set when this case was merged into another; it then leaves every list. */
  @Column({ ...idColumn, name: 'merged_into_id', nullable: true })
  mergedIntoId: string | null;

  /** Set once the finished case outlived the county's retention period and its personal data went. */
  @Column({ ...timestampColumn, name: 'pseudonymised_at', nullable: true })
  pseudonymisedAt: Date | null;

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
// one account's work of a day, and a period's events of a kind (data-quality flags)
@Index('idx_case_events_actor', ['actorId', 'at'])
@Index('idx_case_events_kind', ['kind', 'at'])
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

/** 家访劝返: one home visit, several per case. */
@Entity('case_visits')
@Index('idx_case_visits_case', ['caseId', 'visitedOn'])
// one account's visits in the order logged, and a period's visits (data-quality flags)
@Index('idx_case_visits_recorder', ['recordedBy', 'recordedAt'])
@Index('idx_case_visits_recorded', ['recordedAt'])
export class CaseVisit {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'case_id' })
  caseId: string;

  @Column({ type: 'varchar', length: 10, name: 'visited_on' })
  visitedOn: string;

  /** Who went (names and positions, as written by the official). */
  @Column({ type: 'varchar', length: 200 })
  visitors: string;

  /** Whom they met (e.g. 母亲、祖父). */
  @Column({ type: 'varchar', length: 100 })
  met: string;

  @Column({ type: 'varchar', length: 500, name: 'stated_reason' })
  statedReason: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  commitments: string | null;

  @Column({ type: 'varchar', length: 24 })
  outcome: string;

  @Column({ ...idColumn, name: 'recorded_by' })
  recordedBy: string;

  @Column({ ...timestampColumn, name: 'recorded_at' })
  recordedAt: Date;
}

/** A formal notice to the guardian (《限期返校通知书》), delivered in the app or on paper. */
@Entity('case_notices')
@Index('idx_case_notices_case', ['caseId'])
@Index('idx_case_notices_child', ['childId'])
export class CaseNotice {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'case_id' })
  caseId: string;

  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  @Column({ ...idColumn, name: 'issued_by' })
  issuedBy: string;

  @Column({ ...timestampColumn, name: 'issued_at' })
  issuedAt: Date;

  /** The date by which the child must be back in school. */
  @Column({ type: 'varchar', length: 10, name: 'deadline_on' })
  deadlineOn: string;

  /** The notice as issued: its text does not change if a template does. */
  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'varchar', length: 8 })
  delivery: 'app' | 'paper';

  @Column({ ...timestampColumn, name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;

  @Column({ type: 'varchar', length: 64, name: 'received_by', nullable: true })
  receivedBy: string | null;

  @Column({ ...timestampColumn, name: 'acknowledged_at', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ ...idColumn, name: 'acknowledged_by', nullable: true })
  acknowledgedBy: string | null;
}

/** A transfer of a case to another township or school; the receiver must accept it. */
@Entity('case_transfers')
@Index('idx_case_transfers_case', ['caseId'])
@Index('idx_case_transfers_to', ['toTownshipCode', 'status'])
export class CaseTransfer {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'case_id' })
  caseId: string;

  @Column({ ...divisionCodeColumn, name: 'to_township_code', nullable: true })
  toTownshipCode: string | null;

  @Column({ ...idColumn, name: 'to_school_id', nullable: true })
  toSchoolId: string | null;

  @Column({ type: 'varchar', length: 200 })
  reason: string;

  @Column({ ...idColumn, name: 'requested_by' })
  requestedBy: string;

  @Column({ ...timestampColumn, name: 'requested_at' })
  requestedAt: Date;

  @Column({ ...timestampColumn, name: 'due_at' })
  dueAt: Date;

  @Column({ type: 'varchar', length: 12 })
  status: 'pending' | 'accepted' | 'rejected' | 'cancelled';

  /** Set when the transfer went unaccepted past its deadline and the county was told. */
  @Column({ ...timestampColumn, name: 'escalated_at', nullable: true })
  escalatedAt: Date | null;

  @Column({ ...idColumn, name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column({ ...timestampColumn, name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 200, name: 'decision_note', nullable: true })
  decisionNote: string | null;
}

/** Relapse watch: re-checks about one and three months after 销号. */
@Entity('case_rechecks')
@Index('idx_case_rechecks_due', ['dueOn', 'doneAt'])
export class CaseRecheck {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'case_id' })
  caseId: string;

  @Column({ type: 'varchar', length: 10, name: 'due_on' })
  dueOn: string;

  @Column({ ...timestampColumn, name: 'done_at', nullable: true })
  doneAt: Date | null;

  @Column({ ...idColumn, name: 'done_by', nullable: true })
  doneBy: string | null;

  @Column({ type: 'varchar', length: 12, nullable: true })
  result: 'attending' | 'absent' | null;
}

/**
 * The last case number given in a county in a year (China time). Incremented — by as many numbers as
 * a batch opens — in the transaction that inserts the cases, so parallel openings queue on the row and
 * never share a number; a transaction that rolls back gives its numbers back.
 */
@Entity('case_number_counters')
export class CaseNumberCounter {
  @PrimaryColumn({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'integer' })
  last: number;
}
