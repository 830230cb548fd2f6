import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CalendarDayKind, Term } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/** A county's dates of one term of a school year (BRIEF §4a); a term not set keeps its default dates. */
@Entity('school_terms')
export class SchoolTermRow {
  @PrimaryColumn({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  /** The year the school year starts in (2026: 2026–2027学年). */
  @PrimaryColumn({ type: 'int', name: 'school_year' })
  schoolYear: number;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  term: Term;

  @Column({ type: 'varchar', length: 10, name: 'starts_on' })
  startsOn: string;

  @Column({ type: 'varchar', length: 10, name: 'ends_on' })
  endsOn: string;
}

/**
 * A day the county sets apart from the national schedule: a day off (a local holiday, a school
 * event) or a school day (a make-up day the county adds). Only overrides are stored: the national
 * holidays and 调休 days come with the `chinese-days` package.
 */
@Entity('calendar_days')
export class CountyCalendarDay {
  @PrimaryColumn({ ...divisionCodeColumn, name: 'county_code' })
  countyCode: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @Column({ type: 'varchar', length: 8 })
  kind: CalendarDayKind;

  @Column({ type: 'varchar', length: 40 })
  note: string;

  @Column({ ...idColumn, name: 'set_by' })
  setBy: string;

  @Column({ ...timestampColumn, name: 'set_at' })
  setAt: Date;
}
