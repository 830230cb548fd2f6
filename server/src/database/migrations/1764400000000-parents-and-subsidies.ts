import type { MigrationInterface, QueryRunner, TableColumnOptions } from 'typeorm';
import { newId } from '../../common/ids';
import { ColumnKit, createTable, index } from './table-builder';

/**
 * The national standards in force when this was written, as data: the living allowance 一补 for
 * pupils of families in economic difficulty, per school year (paid half per semester), before and
 * from the 2024 spring semester, and the 营养改善计划 meal allowance per school day. Later changes
 * are new rows with their own effective dates, never edits of these.
 */
export const NATIONAL_STANDARDS: Array<{
  kind: 'living_allowance' | 'nutrition';
  label: string;
  stage: 'primary' | 'junior' | null;
  boarding: boolean | null;
  amountFen: number;
  effectiveFrom: string;
  effectiveTo: string | null;
}> = [
  {
    kind: 'living_allowance',
    label: '寄宿生生活补助（小学）',
    stage: 'primary',
    boarding: true,
    amountFen: 100_000,
    effectiveFrom: '2019-01-01',
    effectiveTo: '2023-12-31',
  },
  {
    kind: 'living_allowance',
    label: '寄宿生生活补助（初中）',
    stage: 'junior',
    boarding: true,
    amountFen: 125_000,
    effectiveFrom: '2019-01-01',
    effectiveTo: '2023-12-31',
  },
  {
    kind: 'living_allowance',
    label: '非寄宿生生活补助（小学）',
    stage: 'primary',
    boarding: false,
    amountFen: 50_000,
    effectiveFrom: '2019-01-01',
    effectiveTo: '2023-12-31',
  },
  {
    kind: 'living_allowance',
    label: '非寄宿生生活补助（初中）',
    stage: 'junior',
    boarding: false,
    amountFen: 62_500,
    effectiveFrom: '2019-01-01',
    effectiveTo: '2023-12-31',
  },
  {
    kind: 'living_allowance',
    label: '寄宿生生活补助（小学）',
    stage: 'primary',
    boarding: true,
    amountFen: 125_000,
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
  },
  {
    kind: 'living_allowance',
    label: '寄宿生生活补助（初中）',
    stage: 'junior',
    boarding: true,
    amountFen: 150_000,
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
  },
  {
    kind: 'living_allowance',
    label: '非寄宿生生活补助（小学）',
    stage: 'primary',
    boarding: false,
    amountFen: 62_500,
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
  },
  {
    kind: 'living_allowance',
    label: '非寄宿生生活补助（初中）',
    stage: 'junior',
    boarding: false,
    amountFen: 75_000,
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
  },
  {
    kind: 'nutrition',
    label: '农村义务教育学生营养改善计划膳食补助',
    stage: null,
    boarding: null,
    amountFen: 400,
    effectiveFrom: '2014-11-01',
    effectiveTo: '2021-08-31',
  },
  {
    kind: 'nutrition',
    label: '农村义务教育学生营养改善计划膳食补助',
    stage: null,
    boarding: null,
    amountFen: 500,
    effectiveFrom: '2021-09-01',
    effectiveTo: null,
  },
];

/** Parents: binding attempts, enrolment notices with receipts and deferrals, school notices; student aid and complaints. */
export class ParentsAndSubsidies1764400000000 implements MigrationInterface {
  name = 'ParentsAndSubsidies1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = new ColumnKit(queryRunner);
    const flag = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'boolean', isNullable: nullable });
    const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });

    await createTable(
      queryRunner,
      'binding_attempts',
      [c.id(), c.ref('user_id'), c.timestamp('at'), flag('succeeded'), c.ref('child_id', true)],
      [index('idx_binding_attempts_user', ['user_id', 'at'])],
    );

    await createTable(
      queryRunner,
      'enrolment_batches',
      [
        c.id(),
        c.divisionCode('county_code'),
        c.varchar('kind', 16),
        c.int('school_year'),
        c.ref('school_id'),
        c.varchar('report_on', 10),
        c.varchar('report_time', 40),
        c.varchar('report_place', 100),
        c.varchar('bring', 300),
        c.varchar('contact', 60),
        c.varchar('acknowledge_by', 10),
        c.varchar('issuer_name', 64),
        c.ref('issued_by'),
        c.timestamp('issued_at'),
      ],
      [index('idx_enrolment_batches_county', ['county_code', 'issued_at'])],
    );

    await createTable(
      queryRunner,
      'enrolment_notices',
      [
        c.id(),
        c.ref('batch_id'),
        c.ref('child_id'),
        c.int('school_year'),
        c.ref('school_id'),
        c.divisionCode('county_code'),
        c.divisionCode('village_code', true),
        text('text'),
        c.timestamp('issued_at'),
        c.timestamp('read_at', true),
        c.timestamp('acknowledged_at', true),
        c.ref('acknowledged_by', true),
        c.timestamp('reminded_at', true),
        c.int('reminders'),
      ],
      [
        index('uq_enrolment_notices_child_year', ['child_id', 'school_year'], true),
        index('idx_enrolment_notices_batch', ['batch_id']),
        index('idx_enrolment_notices_village', ['county_code', 'village_code']),
      ],
    );

    await createTable(
      queryRunner,
      'deferral_applications',
      [
        c.id(),
        c.ref('notice_id'),
        c.ref('child_id'),
        c.divisionCode('county_code'),
        c.divisionCode('village_code', true),
        c.ref('applicant_id'),
        c.varchar('reason', 500),
        c.ref('photo_id'),
        c.varchar('status', 12),
        c.timestamp('applied_at'),
        c.ref('decided_by', true),
        c.varchar('decided_unit', 64, true),
        c.timestamp('decided_at', true),
        c.varchar('decision_note', 200, true),
      ],
      [index('idx_deferrals_notice', ['notice_id']), index('idx_deferrals_county', ['county_code', 'status'])],
    );

    await createTable(
      queryRunner,
      'school_notices',
      [
        c.id(),
        c.ref('school_id'),
        c.divisionCode('county_code'),
        c.varchar('audience', 8),
        c.int('grade', true),
        c.varchar('class_name', 16, true),
        c.varchar('title', 64),
        text('body'),
        c.ref('sent_by'),
        c.timestamp('sent_at'),
        c.int('pupils'),
        c.int('pupils_reached'),
        c.int('recipients'),
      ],
      [index('idx_school_notices_school', ['school_id', 'id']), index('idx_school_notices_county', ['county_code', 'id'])],
    );

    await createTable(
      queryRunner,
      'school_notice_receipts',
      [
        { ...c.ref('notice_id'), isPrimary: true },
        { ...c.ref('user_id'), isPrimary: true },
        c.json('child_names'),
        c.timestamp('read_at', true),
      ],
      [index('idx_school_notice_receipts_user', ['user_id', 'notice_id'])],
    );

    await createTable(
      queryRunner,
      'subsidy_policies',
      [
        c.id(),
        c.varchar('kind', 16),
        c.divisionCode('county_code', true),
        c.varchar('label', 64),
        c.varchar('stage', 8, true),
        flag('boarding', true),
        c.json('categories', true),
        c.int('amount_fen'),
        c.varchar('effective_from', 10),
        c.varchar('effective_to', 10, true),
        c.ref('created_by', true),
        c.timestamp('created_at'),
      ],
      [index('idx_subsidy_policies_county', ['county_code', 'kind'])],
    );

    await createTable(
      queryRunner,
      'subsidy_eligibility',
      [
        c.id(),
        c.ref('child_id'),
        c.divisionCode('county_code'),
        c.ref('school_id', true),
        c.int('school_year'),
        c.varchar('category', 16),
        c.varchar('stage', 8),
        flag('boarding'),
        c.varchar('source', 8),
        c.ref('confirmed_by'),
        c.timestamp('confirmed_at'),
      ],
      [
        index('uq_subsidy_eligibility_child_year', ['child_id', 'school_year'], true),
        index('idx_subsidy_eligibility_county', ['county_code', 'school_year']),
      ],
    );

    await createTable(
      queryRunner,
      'subsidy_payments',
      [
        c.id(),
        c.ref('child_id'),
        c.divisionCode('county_code'),
        c.ref('school_id', true),
        c.varchar('semester', 12),
        c.int('amount_fen'),
        c.varchar('status', 12),
        c.varchar('channel', 24),
        c.varchar('card_tail', 4, true),
        c.varchar('failure_reason', 100, true),
        c.varchar('paid_on', 10, true),
        c.varchar('reference', 40),
        c.ref('updated_by'),
        c.timestamp('created_at'),
        c.timestamp('updated_at'),
      ],
      [
        index('uq_subsidy_payments_identity', ['child_id', 'semester', 'reference'], true),
        index('idx_subsidy_payments_county', ['county_code', 'semester']),
      ],
    );

    await createTable(
      queryRunner,
      'subsidy_complaints',
      [
        c.id(),
        c.ref('child_id'),
        c.divisionCode('county_code'),
        c.ref('raised_by'),
        c.ref('payment_id', true),
        c.varchar('semester', 12),
        c.varchar('text', 500),
        c.varchar('status', 12),
        c.int('version'),
        c.timestamp('created_at'),
        c.timestamp('due_at'),
        c.ref('handler_id', true),
        text('answer', true),
        c.timestamp('answered_at', true),
        c.timestamp('closed_at', true),
      ],
      [index('idx_subsidy_complaints_county', ['county_code', 'status']), index('idx_subsidy_complaints_raised_by', ['raised_by'])],
    );

    await createTable(
      queryRunner,
      'subsidy_complaint_events',
      [
        c.id(),
        c.ref('complaint_id'),
        c.timestamp('at'),
        c.ref('actor_id', true),
        c.varchar('side', 8),
        c.varchar('kind', 16),
        text('text', true),
      ],
      [index('idx_subsidy_complaint_events', ['complaint_id', 'at'])],
    );

    // UTC, in the form both drivers read back as the entity's datetime
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    for (const p of NATIONAL_STANDARDS) {
      await queryRunner.query(
        'INSERT INTO subsidy_policies (id, kind, county_code, label, stage, boarding, categories, amount_fen, effective_from, effective_to, created_by, created_at) VALUES (?, ?, NULL, ?, ?, ?, NULL, ?, ?, ?, NULL, ?)',
        [
          newId(),
          p.kind,
          p.label,
          p.stage,
          p.boarding === null ? null : Number(p.boarding),
          p.amountFen,
          p.effectiveFrom,
          p.effectiveTo,
          now,
        ],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'subsidy_complaint_events',
      'subsidy_complaints',
      'subsidy_payments',
      'subsidy_eligibility',
      'subsidy_policies',
      'school_notice_receipts',
      'school_notices',
      'deferral_applications',
      'enrolment_notices',
      'enrolment_batches',
      'binding_attempts',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
