import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  ancestorDivisionCode,
  divisionLevelOf,
  divisionPrefix,
  SCHOOL_STAGE_LABELS,
  SCHOOL_STAGES,
  type SchoolStage,
} from '@baoxue/shared';
import { In, type DataSource } from 'typeorm';
import { cell, RowErrors, validateRow, type RowSchema } from '../../common/sheets/row-schema';
import { readSheet } from '../../common/sheets/read-sheet';
import type { SheetColumn } from '../../common/sheets/sheet-columns';
import type { SheetSource } from '../../common/sheets/sheet-reader';
import { sheetTemplate } from '../../common/sheets/sheet-template';
import { newId } from '../../common/ids';
import { AuditService } from '../audit/audit.service';
import { DivisionRecords } from '../divisions/division-records';
import { School } from './school.entity';
import { snapshotTransaction } from '../../database/transaction';

type SchoolColumn = 'name' | 'stage' | 'code' | 'division' | 'township' | 'village' | 'address';

/** The county's school list (学校名册): one school a row, placed by a division code or by township and village names. */
export const SCHOOL_COLUMNS: ReadonlyArray<SheetColumn<SchoolColumn>> = [
  { key: 'name', header: '学校名称', aliases: ['学校', '校名', '学校全称'], required: true, example: '东乡族自治县锁南镇中心小学' },
  {
    key: 'stage',
    header: '学段',
    aliases: ['办学类型', '学校类型'],
    required: true,
    example: '小学',
    note: `${SCHOOL_STAGES.map((s) => SCHOOL_STAGE_LABELS[s]).join('、')}之一`,
  },
  {
    key: 'code',
    header: '学校标识码',
    aliases: ['标识码', '学校代码'],
    required: false,
    example: '2162001234',
    note: '10位数字，有则填写',
  },
  {
    key: 'division',
    header: '所在区划代码',
    aliases: ['区划代码', '乡镇区划代码', '村区划代码'],
    required: false,
    example: '622926100000',
    note: '学校所在乡镇或村的12位区划代码；不填时按“乡镇”“村”两列的名称查找',
  },
  { key: 'township', header: '乡镇', aliases: ['所在乡镇', '乡镇名称'], required: false, example: '锁南镇', note: '与区划代码二选一' },
  {
    key: 'village',
    header: '村',
    aliases: ['所在村', '村名称', '村（社区）'],
    required: false,
    example: '',
    note: '村小、教学点填写所在村的全称',
  },
  { key: 'address', header: '地址', aliases: ['学校地址', '详细地址'], required: false, example: '' },
];

const STAGES = new Map<string, SchoolStage>([
  ...SCHOOL_STAGES.map((s) => [SCHOOL_STAGE_LABELS[s], s] as const),
  ['一贯制', 'both'],
  ['九年制', 'both'],
  ['初级中学', 'junior'],
  ['完全小学', 'primary'],
  ['教学点', 'primary'],
  ...SCHOOL_STAGES.map((s) => [s, s] as const),
]);

const SCHOOL_ROW = {
  name: cell.parsed((text) => (text.length >= 4 && text.length <= 50 ? text : null), '学校名称应为4到50个字'),
  stage: cell.oneOf(STAGES, (text) => `学段“${text}”不正确，应为小学、初中或九年一贯制`),
  code: cell.optional(cell.parsed((text) => (/^\d{10}$/.test(text) ? text : null), '学校标识码应为10位数字')),
  division: cell.optional(cell.parsed((text) => (/^\d{12}$/.test(text) ? text : null), '区划代码应为12位数字')),
  township: cell.text(64, '乡镇名称过长'),
  village: cell.text(64, '村名称过长'),
  address: cell.text(100, '地址最多100个字'),
} satisfies RowSchema<SchoolColumn>;

const MAX_SCHOOLS = 5000;

/** The template of the school list, from the same column spec. */
export function schoolTemplate(): Promise<{ fileName: string; content: Buffer }> {
  return sheetTemplate('学校名册', SCHOOL_COLUMNS);
}

export interface SchoolImportResult {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

type Place = Pick<School, 'townshipCode' | 'villageCode'>;

/**
 * Imports a county's schools from a sheet (the operator's `onboard-county --schools`), all or nothing.
 * A school is the same school as a stored one with its 学校标识码, else with its name in the same
 * township; those are updated, the rest created, none deleted: importing the same file again changes nothing.
 */
@Injectable()
export class SchoolImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly divisionRecords: DivisionRecords,
    private readonly audit: AuditService,
  ) {}

  async importFile(countyCode: string, source: SheetSource): Promise<SchoolImportResult> {
    const sheet = await readSheet(source, SCHOOL_COLUMNS, { maxRows: MAX_SCHOOLS });
    const divisions = await this.divisionRecords.townshipsAndVillagesOf(this.dataSource.manager, countyCode);
    const byCode = new Map(divisions.map((d) => [d.code, d]));
    const townships = new Map(divisions.filter((d) => d.level === 'township').map((d) => [d.name, d.code]));
    const villages = new Map(divisions.filter((d) => d.level === 'village').map((d) => [`${d.parentCode}/${d.name}`, d.code]));
    const prefix = divisionPrefix(countyCode);

    const errors = new RowErrors();
    const rows: Array<Pick<School, 'name' | 'stage' | 'code' | 'address'> & Place & { line: number }> = [];
    const placeOf = (line: number, v: { division?: string | null; township?: string | null; village?: string | null }): Place | null => {
      if (v.division) {
        const level = divisionLevelOf(v.division);
        if (!v.division.startsWith(prefix)) errors.add(line, '所在区划代码', `区划代码 ${v.division} 不在本县范围内`);
        else if (!byCode.has(v.division) || (level !== 'township' && level !== 'village'))
          errors.add(line, '所在区划代码', `区划代码 ${v.division} 不是本县已导入的乡镇或村`);
        else return { townshipCode: ancestorDivisionCode(v.division, 'township')!, villageCode: level === 'village' ? v.division : null };
        return null;
      }
      if (!v.township) {
        // a bad code cell was reported already
        if (v.division === null && v.township === null) errors.add(line, '乡镇', '请填写所在区划代码或乡镇名称');
        return null;
      }
      const township = townships.get(v.township);
      const village = township && v.village ? villages.get(`${township}/${v.village}`) : undefined;
      if (!township) errors.add(line, '乡镇', `本县没有名为“${v.township}”的乡镇`);
      else if (v.village && !village) errors.add(line, '村', `${v.township}没有名为“${v.village}”的村`);
      else return { townshipCode: township, villageCode: village ?? null };
      return null;
    };
    for (const row of sheet) {
      const checked = validateRow(row, SCHOOL_ROW, SCHOOL_COLUMNS, errors);
      // the place is checked even when another cell is wrong, so one bad cell does not hide the others
      const place = placeOf(row.line, checked.values);
      if (!checked.ok || !place) continue;
      const v = checked.values;
      rows.push({ line: row.line, name: v.name, stage: v.stage, code: v.code, address: v.address, ...place });
    }
    this.checkDuplicates(rows, errors);
    errors.throwIfAny();

    return snapshotTransaction(this.dataSource, async (manager) => {
      const codes = rows.flatMap((r) => (r.code ? [r.code] : []));
      const withCodes = codes.length ? await manager.find(School, { where: { code: In(codes) } }) : [];
      const inCounty = await manager.find(School, { where: { countyCode } });
      const storedByCode = new Map(withCodes.map((s) => [s.code!, s]));
      const storedByName = new Map(inCounty.map((s) => [`${s.townshipCode}/${s.name}`, s]));
      const counts = { created: 0, updated: 0, unchanged: 0 };
      for (const row of rows) {
        const stored = (row.code ? storedByCode.get(row.code) : undefined) ?? storedByName.get(`${row.townshipCode}/${row.name}`);
        if (stored && stored.countyCode !== countyCode) {
          errors.add(row.line, '学校标识码', `学校标识码 ${row.code} 已属于其他县的学校“${stored.name}”`);
          continue;
        }
        const values = {
          name: row.name,
          stage: row.stage,
          code: row.code ?? stored?.code ?? null,
          address: row.address ?? stored?.address ?? null,
          countyCode,
          townshipCode: row.townshipCode,
          villageCode: row.villageCode,
        };
        if (!stored) {
          await manager.insert(School, { id: newId(), ...values });
          counts.created++;
        } else if ((Object.keys(values) as Array<keyof typeof values>).some((key) => stored[key] !== values[key])) {
          await manager.update(School, { id: stored.id }, values);
          counts.updated++;
        } else counts.unchanged++;
      }
      errors.throwIfAny();
      await this.audit.record(
        null,
        {
          action: 'school.import',
          targetType: 'county',
          targetId: countyCode,
          placeCode: countyCode,
          details: { rows: rows.length, ...counts },
        },
        manager,
      );
      return { rows: rows.length, ...counts };
    });
  }

  /** One row per school: the same 学校标识码, or the same name in the same township, twice is an error. */
  private checkDuplicates(rows: Array<{ line: number; code: string | null; name: string; townshipCode: string }>, errors: RowErrors) {
    const codes = new Map<string, number>();
    const names = new Map<string, number>();
    for (const row of rows) {
      const sameCode = row.code ? codes.get(row.code) : undefined;
      const sameName = names.get(`${row.townshipCode}/${row.name}`);
      if (sameCode !== undefined) errors.add(row.line, '学校标识码', `学校标识码 ${row.code} 与第${sameCode}行重复`);
      else if (sameName !== undefined) errors.add(row.line, '学校名称', `同一乡镇的“${row.name}”与第${sameName}行重复`);
      if (row.code) codes.set(row.code, row.line);
      names.set(`${row.townshipCode}/${row.name}`, row.line);
    }
  }
}
