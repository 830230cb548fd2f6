import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ChildSex, PriorityGroup } from '@baoxue/shared';
import { divisionCodeColumn, idColumn, timestampColumn } from '../../database/columns';

/**
 * A child the system knows of, from tips now and from the registries later. Fields stay null
 * until someone knows them; the ID number is sensitive and only ever leaves the server masked.
 */
@Entity('children')
@Index('idx_children_identity', ['nameKey', 'villageCode', 'birthYear'])
@Index('idx_children_village_birth', ['villageCode', 'birthDate'])
@Index('idx_children_id_roster', ['idNumber', 'countyCode', 'studentNumber'])
@Index('idx_children_school_class', ['schoolId', 'grade', 'className'])
@Index('uq_children_id_number', ['idNumber'], { unique: true })
export class Child {
  @PrimaryColumn(idColumn)
  id: string;

  @Column({ type: 'varchar', length: 32 })
  name: string;

  /** The name as matched: no spaces or dots, full-width folded. */
  @Column({ type: 'varchar', length: 32, name: 'name_key' })
  nameKey: string;

  @Column({ type: 'varchar', length: 8 })
  sex: ChildSex;

  @Column({ type: 'int', name: 'birth_year', nullable: true })
  birthYear: number | null;

  /** Whether the birth year is exact (from an ID number) or estimated from an age. */
  @Column({ type: 'boolean', name: 'birth_year_exact', default: false })
  birthYearExact: boolean;

  @Column({ type: 'varchar', length: 18, name: 'id_number', nullable: true })
  idNumber: string | null;

  @Column({ ...divisionCodeColumn, name: 'village_code', nullable: true })
  villageCode: string | null;

  @Column({ ...idColumn, name: 'school_id', nullable: true })
  schoolId: string | null;

  @Column({ type: 'int', nullable: true })
  grade: number | null;

  @Column({ type: 'simple-json', name: 'priority_groups' })
  priorityGroups: PriorityGroup[];

  /** 全国学籍号: set once the child is on a school roster. */
  @Index('uq_children_student_number', { unique: true })
  @Column({ type: 'varchar', length: 19, name: 'student_number', nullable: true })
  studentNumber: string | null;

  @Column({ type: 'varchar', length: 10, name: 'birth_date', nullable: true })
  birthDate: string | null;

  @Column({ type: 'varchar', length: 16, name: 'class_name', nullable: true })
  className: string | null;

  @Column({ type: 'boolean', nullable: true })
  boarding: boolean | null;

  /** Printed on notices; with the child's name it binds a parent to the child. */
  @Index('uq_children_binding_code', { unique: true })
  @Column({ type: 'varchar', length: 12, name: 'binding_code', nullable: true })
  bindingCode: string | null;

  /** The county the child lives or studies in (scope of officials over the record). */
  @Index('idx_children_county')
  @Column({ ...divisionCodeColumn, name: 'county_code', nullable: true })
  countyCode: string | null;

  /** Set when this record was merged into another record of the same child (old links follow it). */
  @Index('idx_children_merged_into')
  @Column({ ...idColumn, name: 'merged_into_id', nullable: true })
  mergedIntoId: string | null;

  @CreateDateColumn({ ...timestampColumn, name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ ...timestampColumn, name: 'updated_at' })
  updatedAt: Date;
}
