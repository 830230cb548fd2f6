import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  divisionPrefix,
  stageOfGrade,
  SUBSIDY_CATEGORIES,
  type AidStage,
  type EligibilityView,
  type SubsidyCategory,
} from '@baoxue/shared';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess } from '../../common/auth/record-policy';
import { applyScope, divisionInReadScope } from '../../common/auth/scope';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { newId } from '../../common/ids';
import { AuditService } from '../audit/audit.service';
import { ChildRecords, type ChildRow } from '../children/child-records';
import { ChildRegistry } from '../children/child-registry.service';
import { schoolNamesOf } from '../children/lookups';
import { SchoolRecords } from '../schools/school-records';
import { readSheet } from '../../common/sheets/read-sheet';
import { cell, RowErrors, validateRow } from '../../common/sheets/row-schema';
import type { SheetColumn } from '../../common/sheets/sheet-columns';
import { sheetTemplate } from '../../common/sheets/sheet-template';
import { countyOfChild, PUPIL_COLUMNS, PupilLookup, SUBSIDY_SHEET } from './pupil-lookup';
import { SubsidyEligibilityRow } from './subsidy.entities';
import { mapEligibility } from './subsidy.mappers';
import { snapshotTransaction, transactionWithRetry } from '../../database/transaction';

type EligibilityColumn = 'studentNumber' | 'idNumber' | 'name' | 'schoolYear' | 'category' | 'boarding';

export const ELIGIBILITY_COLUMNS: ReadonlyArray<SheetColumn<EligibilityColumn>> = [
  ...PUPIL_COLUMNS,
  { key: 'schoolYear', header: '学年', required: true, example: '2024—2025', note: '如“2024—2025”或“2024”（秋季开学的年份）' },
  {
    key: 'category',
    header: '困难类别',
    required: true,
    aliases: ['认定类别', '类别'],
    example: '脱贫户',
    note: `${Object.values(SUBSIDY_CATEGORIES).join('、')}之一`,
  },
  { key: 'boarding', header: '是否寄宿', required: false, aliases: ['寄宿'], example: '是', note: '是或否；不填则按学籍中的寄宿情况' },
];

const CATEGORY_BY_LABEL = new Map<string, SubsidyCategory>([
  ...(Object.entries(SUBSIDY_CATEGORIES) as Array<[SubsidyCategory, string]>).map(([key, label]) => [label, key] as const),
  ['脱贫户（建档立卡）', 'registered_poor'],
  ['建档立卡', 'registered_poor'],
  ['建档立卡户', 'registered_poor'],
  ['防返贫监测户', 'monitored'],
  ['低保户', 'subsistence'],
  ['特困供养', 'extreme_poverty'],
  ['特困供养人员', 'extreme_poverty'],
  ['残疾学生', 'disabled'],
  ['其他', 'other'],
]);

export function parseSchoolYear(text: string): number | null {
  const match = /^(\d{4})(?:\s*[—\-－~至]+\s*(\d{4}))?\s*(?:学年)?$/.exec(text.normalize('NFKC').trim());
  if (!match) return null;
  const start = Number(match[1]);
  if (match[2] && Number(match[2]) !== start + 1) return null;
  return start >= 2000 && start <= 2100 ? start : null;
}

/** Words boarding lists use beside 是 / 否. */
const BOARDING_WORDS = new Map([
  ['寄宿', true],
  ['住校', true],
  ['非寄宿', false],
  ['走读', false],
]);

/** An eligibility row, cell by cell; the pupil and the rules that need the pupil's record are in `import`. */
const ELIGIBILITY_ROW = {
  schoolYear: cell.parsed(parseSchoolYear, '学年格式应为“2024—2025”或“2024”'),
  category: cell.oneOf(CATEGORY_BY_LABEL, `困难类别应为${Object.values(SUBSIDY_CATEGORIES).join('、')}之一`, (t) =>
    t.normalize('NFKC').replace(/\s/g, ''),
  ),
  boarding: cell.optional(cell.yesNo('是否寄宿应填“是”或“否”', BOARDING_WORDS)),
};

/**
 * Eligibility for the living allowance, confirmed per pupil each school year by the county's
 * student-aid office: set one by one, or imported from the county's list. Re-importing the same
 * list changes nothing.
 */
@Injectable()
export class EligibilityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly registry: ChildRegistry,
    private readonly childRecords: ChildRecords,
    private readonly schoolRecords: SchoolRecords,
  ) {}

  template() {
    return sheetTemplate('资助对象名单', ELIGIBILITY_COLUMNS);
  }

  async list(caller: Caller, query: { cursor?: string; limit: number; schoolYear?: number; schoolId?: string; under?: string }) {
    const county = requireCountyAccess(caller, 'read_eligibility');
    if (query.under && !divisionInReadScope(caller, 'read_eligibility', query.under))
      throw AppError.forbidden('只能查看本县的资助对象', { under: '不在本县' });
    const qb = applyScope(this.dataSource.manager.createQueryBuilder(SubsidyEligibilityRow, 'e'), caller, 'read_eligibility', {
      county: 'e.county_code',
    })
      .orderBy('e.id', 'DESC')
      .limit(query.limit + 1);
    if (query.schoolYear) qb.andWhere('e.school_year = :year', { year: query.schoolYear });
    if (query.schoolId) qb.andWhere('e.school_id = :schoolId', { schoolId: query.schoolId });
    if (query.under)
      qb.andWhere('e.child_id IN (SELECT ch.id FROM children ch WHERE ch.village_code LIKE :under)', {
        under: `${divisionPrefix(query.under)}%`,
      });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['string']);
      qb.andWhere('e.id < :cursorId', { cursorId: id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    await this.audit.record(caller, {
      action: 'subsidy.eligibility.list',
      targetType: 'county',
      targetId: county,
      placeCode: county,
      details: { rows: page.length },
    });
    return {
      items: await this.views(this.dataSource.manager, page),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
    };
  }

  async set(
    caller: Caller,
    input: { childId: string; schoolYear: number; category: SubsidyCategory; boarding: boolean; stage: AidStage | null },
  ): Promise<EligibilityView> {
    const county = requireCountyAccess(caller, 'manage_eligibility');
    const manager = this.dataSource.manager;
    // a record merged since stands for the child's surviving record
    const child = await this.registry.current(manager, input.childId);
    if (!child || (await countyOfChild(this.schoolRecords, manager, child)) !== county)
      throw AppError.invalid({ childId: '本县没有这名学生' });
    const stage = input.stage ?? stageOfGrade(child.grade);
    if (!stage) throw AppError.invalid({ stage: '学籍中没有该生的年级，请选择学段' });
    const id = await transactionWithRetry(this.dataSource, async (tx) => {
      const { id, change } = await this.upsert(tx, caller, child, county, { ...input, stage }, 'manual');
      await this.audit.record(
        caller,
        {
          action: 'subsidy.eligibility.set',
          targetType: 'child',
          targetId: child.id,
          childId: child.id,
          placeCode: child.villageCode ?? county,
          details: { schoolYear: input.schoolYear, change },
        },
        tx,
      );
      return id;
    });
    return (await this.views(manager, [await manager.findOneByOrFail(SubsidyEligibilityRow, { id })]))[0]!;
  }

  async revoke(caller: Caller, id: string): Promise<{ ok: true }> {
    const county = requireCountyAccess(caller, 'manage_eligibility');
    const row = await this.dataSource.manager.findOneBy(SubsidyEligibilityRow, { id });
    if (!row || row.countyCode !== county) throw AppError.notFound();
    await transactionWithRetry(this.dataSource, async (manager) => {
      await manager.delete(SubsidyEligibilityRow, { id });
      await this.audit.record(
        caller,
        {
          action: 'subsidy.eligibility.revoke',
          targetType: 'child',
          targetId: row.childId,
          childId: row.childId,
          placeCode: county,
          details: { schoolYear: row.schoolYear, category: row.category },
        },
        manager,
      );
    });
    return { ok: true };
  }

  /** All or nothing: every row is checked first; then each pupil's eligibility for that year is created or updated. */
  async import(caller: Caller, buffer: Buffer) {
    const county = requireCountyAccess(caller, 'manage_eligibility');
    const rows = await readSheet(buffer, ELIGIBILITY_COLUMNS, SUBSIDY_SHEET);
    const manager = this.dataSource.manager;
    const pupils = await PupilLookup.load(
      this.childRecords,
      manager,
      county,
      rows.map((r) => r.get('studentNumber')),
      rows.map((r) => r.get('idNumber')),
    );
    const errors = new RowErrors();
    const parsed: Array<{ child: ChildRow; schoolYear: number; category: SubsidyCategory; boarding: boolean; stage: AidStage }> = [];
    const seen = new Map<string, number>();
    for (const row of rows) {
      const found = pupils.find(row.get('studentNumber'), row.get('idNumber'), row.get('name'));
      if ('message' in found) errors.add(row.line, found.column, found.message);
      const checked = validateRow(row, ELIGIBILITY_ROW, ELIGIBILITY_COLUMNS, errors);
      if (!checked.ok || !('child' in found)) continue;
      const { schoolYear, category } = checked.values;
      const boarding = checked.values.boarding ?? found.child.boarding;
      if (boarding === null) {
        errors.add(row.line, '是否寄宿', '学籍中没有寄宿情况，请填写“是”或“否”');
        continue;
      }
      const stage = stageOfGrade(found.child.grade);
      if (!stage) {
        errors.add(row.line, '学籍号', '学籍中没有该生的年级，无法确定学段');
        continue;
      }
      const key = `${found.child.id}:${schoolYear}`;
      const first = seen.get(key);
      if (first !== undefined) {
        errors.add(row.line, '学籍号', `与第${first}行是同一学生的同一学年`);
        continue;
      }
      seen.set(key, row.line);
      parsed.push({ child: found.child, schoolYear, category, boarding, stage });
    }
    errors.throwIfAny();
    const counts = { rows: rows.length, created: 0, updated: 0, unchanged: 0, notified: 0 };
    await snapshotTransaction(this.dataSource, async (tx) => {
      for (const item of parsed) counts[(await this.upsert(tx, caller, item.child, county, item, 'import')).change]++;
      await this.audit.record(
        caller,
        { action: 'subsidy.eligibility.import', targetType: 'county', targetId: county, placeCode: county, details: { ...counts } },
        tx,
      );
    });
    return counts;
  }

  private async upsert(
    manager: EntityManager,
    caller: Caller,
    child: ChildRow,
    county: string,
    input: { schoolYear: number; category: SubsidyCategory; boarding: boolean; stage: AidStage },
    source: 'manual' | 'import',
  ): Promise<{ id: string; change: 'created' | 'updated' | 'unchanged' }> {
    const existing = await manager.findOneBy(SubsidyEligibilityRow, { childId: child.id, schoolYear: input.schoolYear });
    if (existing) {
      if (existing.category === input.category && existing.boarding === input.boarding && existing.stage === input.stage)
        return { id: existing.id, change: 'unchanged' };
      await manager.update(
        SubsidyEligibilityRow,
        { id: existing.id },
        {
          category: input.category,
          boarding: input.boarding,
          stage: input.stage,
          source,
          confirmedBy: caller.userId,
          confirmedAt: this.clock.now(),
        },
      );
      return { id: existing.id, change: 'updated' };
    }
    const id = newId();
    await manager.insert(SubsidyEligibilityRow, {
      id,
      childId: child.id,
      countyCode: county,
      schoolId: child.schoolId,
      schoolYear: input.schoolYear,
      category: input.category,
      stage: input.stage,
      boarding: input.boarding,
      source,
      confirmedBy: caller.userId,
      confirmedAt: this.clock.now(),
    });
    return { id, change: 'created' };
  }

  private async views(manager: EntityManager, rows: SubsidyEligibilityRow[]): Promise<EligibilityView[]> {
    if (!rows.length) return [];
    const children = await this.childRecords.findByIds(
      manager,
      rows.map((r) => r.childId),
    );
    const byId = new Map(children.map((c) => [c.id, c]));
    const schools = await schoolNamesOf(manager, [...rows.map((r) => r.schoolId), ...children.map((c) => c.schoolId)]);
    return rows.map((r) => mapEligibility(r, byId.get(r.childId), schools));
  }
}
