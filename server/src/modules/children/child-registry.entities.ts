import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** Why two records were put before an official as possibly one child. */
export type ChildMatchReason =
  /** the same ID number (or 学籍号) was reported with another name or birth date */
  | 'identity_conflict'
  /** several known children fit the report equally well */
  | 'ambiguous'
  /** the same name and birth year in another village of the township */
  | 'neighbouring_village'
  /** the same name and village, birth years a year apart */
  | 'near_birth_year';

/**
 * A pair of child records that may be one child (BRIEF §3a): an official confirms (the records are
 * merged) or rejects the match. Each pair is listed once, whichever source found it first.
 */
@Entity('child_match_reviews')
@Index('uq_child_match_reviews_pair', ['childId', 'candidateId'], { unique: true })
@Index('idx_child_match_reviews_county', ['countyCode', 'status', 'createdAt'])
export class ChildMatchReview {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  /** The record the report landed on (often just created). */
  @Column({ ...idColumn, name: 'child_id' })
  childId: string;

  /** The known record it may be the same child as. */
  @Column({ ...idColumn, name: 'candidate_id' })
  candidateId: string;

  @Column({ type: 'varchar', length: 24 })
  reason: ChildMatchReason;

  /** Which source raised it: tip, roster, household, absence, poverty, school, binding, repair. */
  @Column({ type: 'varchar', length: 16 })
  source: string;

  @Column({ type: 'varchar', length: 12 })
  status: 'pending' | 'confirmed' | 'rejected';

  @Column({ ...idColumn, name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column({ ...timestampColumn, name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 200, name: 'decision_note', nullable: true })
  decisionNote: string | null;

  @Column({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;
}

/**
 * One merge of two records of one child: what moved from the merged record to the survivor, so
 * that a wrong merge can be split exactly. `moved` lists, per table, the ids of the rows that
 * changed hands and the survivor's fields the merge filled in.
 */
@Entity('child_merges')
@Index('idx_child_merges_survivor', ['survivorId'])
@Index('idx_child_merges_merged', ['mergedId'])
export class ChildMerge {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ ...idColumn, name: 'survivor_id' })
  survivorId: string;

  @Column({ ...idColumn, name: 'merged_id' })
  mergedId: string;

  @Column({ type: 'varchar', length: 200 })
  reason: string;

  /** null when the repair command merged exact duplicates. */
  @Column({ ...idColumn, name: 'actor_id', nullable: true })
  actorId: string | null;

  @Column({ ...timestampColumn })
  at: Date;

  @Column({ type: 'simple-json' })
  moved: Record<string, unknown>;

  @Column({ ...timestampColumn, name: 'split_at', nullable: true })
  splitAt: Date | null;

  @Column({ ...idColumn, name: 'split_by', nullable: true })
  splitBy: string | null;

  @Column({ type: 'varchar', length: 200, name: 'split_reason', nullable: true })
  splitReason: string | null;
}

/**
 * A lock row per normalised name and place (`village:<code>` or `school:<id>`): reports matched by
 * name are resolved one at a time for that name and place, so two parallel reports of one new child
 * make one record.
 */
@Entity('child_identity_claims')
export class ChildIdentityClaim {
  @PrimaryColumn({ type: 'varchar', length: 32, name: 'name_key' })
  nameKey: string;

  @PrimaryColumn({ type: 'varchar', length: 48 })
  place: string;

  @Column({ type: 'integer' })
  uses: number;
}
