import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ancestorDivisionCode, divisionLevelOf, divisionPrefix, type SchoolView } from '@baoxue/shared';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess, requireRecordAccess } from '../../common/auth/record-policy';
import { assertCountyScope, readScope } from '../../common/auth/scope';
import { AppError } from '../../common/errors/app-error';
import { isDuplicateKey } from '../../common/errors/database-errors';
import { decodeCursor, encodeCursor } from '../../common/http/cursor';
import { containsPattern, LIKE_ESCAPE } from '../../common/sql/like';
import { newId } from '../../common/ids';
import { AuditService } from '../audit/audit.service';
import { DivisionRecords } from '../divisions/division-records';
import { DivisionsService } from '../divisions/divisions.service';
import { School } from './school.entity';
import { snapshotTransaction } from '../../database/transaction';

export interface ListSchools {
  under?: string;
  stage?: string;
  q?: string;
  actionable?: 'true';
  cursor?: string;
  limit: number;
}

export interface SchoolInput {
  name: string;
  stage: School['stage'];
  code: string | null;
  divisionCode: string;
  address: string | null;
}

@Injectable()
export class SchoolsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly divisions: DivisionsService,
    private readonly audit: AuditService,
    private readonly divisionRecords: DivisionRecords,
  ) {}

  /**
   * Schools of the served counties; names and places are public, so every role may pick from them.
   * `actionable`: only those of the caller's own case work (see `actionableSchools`).
   */
  async list(caller: Caller, query: ListSchools): Promise<{ items: SchoolView[]; nextCursor: string | null }> {
    const qb = this.dataSource.manager
      .createQueryBuilder(School, 's')
      .where((w) => `s.county_code IN ${this.divisionRecords.servedCountyCodes(w)}`)
      .orderBy('s.township_code', 'ASC')
      .addOrderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(query.limit + 1);
    if (query.under) {
      const column = { village: 's.village_code', township: 's.township_code', county: 's.county_code' }[
        divisionLevelOf(query.under) as string
      ];
      if (column) qb.andWhere(`${column} = :under`, { under: query.under });
      else qb.andWhere('s.county_code LIKE :prefix', { prefix: `${divisionPrefix(query.under)}%` });
    }
    if (query.actionable) this.actionableSchools(qb, caller);
    if (query.stage) qb.andWhere('s.stage = :stage', { stage: query.stage });
    if (query.q) qb.andWhere(`s.name LIKE :name ${LIKE_ESCAPE}`, { name: containsPattern(query.q) });
    if (query.cursor) {
      const [township, name, id] = decodeCursor(query.cursor, ['string', 'string', 'string']);
      qb.andWhere('(s.township_code > :ct OR (s.township_code = :ct AND (s.name > :cn OR (s.name = :cn AND s.id > :ci))))', {
        ct: township,
        cn: name,
        ci: id,
      });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: await this.toViews(page),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.townshipCode, last.name, last.id]) : null,
    };
  }

  /**
   * The schools a caller's cases can name, by the reach `read_case` gives them: a county admin's
   * county, a township's (or its village's) township, school staff their own school. Anyone else
   * handles no cases, so their list is empty.
   */
  private actionableSchools(qb: SelectQueryBuilder<School>, caller: Caller): void {
    const scope = readScope(caller, 'read_case');
    switch (scope?.relation) {
      case 'county':
        qb.andWhere('s.county_code = :own', { own: scope.countyCode });
        return;
      case 'division':
        if (divisionLevelOf(scope.code) === 'county') qb.andWhere('s.county_code = :own', { own: scope.code });
        else qb.andWhere('s.township_code = :own', { own: ancestorDivisionCode(scope.code, 'township') });
        return;
      case 'school':
        qb.andWhere('s.id = :own', { own: scope.schoolId });
        return;
      default:
        qb.andWhere('1 = 0');
    }
  }

  async get(id: string): Promise<SchoolView> {
    return (await this.toViews([await this.findServed(id)]))[0]!;
  }

  async findServed(id: string): Promise<School> {
    const school = await this.dataSource.manager.findOneBy(School, { id });
    if (!school || !(await this.divisions.isServedCounty(school.countyCode))) throw AppError.notFound();
    return school;
  }

  async create(caller: Caller, input: SchoolInput): Promise<SchoolView> {
    const place = await this.placeIn(caller, input.divisionCode);
    const school = this.dataSource.manager.create(School, {
      id: newId(),
      name: input.name,
      stage: input.stage,
      code: input.code,
      address: input.address,
      ...place,
    });
    await this.save(caller, school, 'schools.create');
    return this.get(school.id);
  }

  async update(caller: Caller, id: string, input: Partial<SchoolInput>): Promise<SchoolView> {
    const school = await this.dataSource.manager.findOneBy(School, { id });
    if (!school) throw AppError.notFound();
    assertCountyScope(caller, school.countyCode);
    requireRecordAccess(caller, 'manage_schools', { countyCode: school.countyCode });
    if (input.divisionCode !== undefined) Object.assign(school, await this.placeIn(caller, input.divisionCode));
    if (input.name !== undefined) school.name = input.name;
    if (input.stage !== undefined) school.stage = input.stage;
    if (input.code !== undefined) school.code = input.code;
    if (input.address !== undefined) school.address = input.address;
    await this.save(caller, school, 'schools.update');
    return this.get(school.id);
  }

  /** The township (and village) a school sits in, which must lie in the admin's own county. */
  private async placeIn(caller: Caller, divisionCode: string) {
    const county = requireCountyAccess(caller, 'manage_schools');
    const level = divisionLevelOf(divisionCode);
    if (level !== 'township' && level !== 'village') throw AppError.invalid({ divisionCode: '学校应归属到乡镇或村' });
    if (!divisionCode.startsWith(divisionPrefix(county)))
      throw AppError.forbidden('只能在本县范围内设置学校', { divisionCode: '不在本县范围内' });
    if (!(await this.divisions.exists(divisionCode))) throw AppError.invalid({ divisionCode: '该行政区划不存在' });
    return {
      countyCode: county,
      townshipCode: ancestorDivisionCode(divisionCode, 'township')!,
      villageCode: level === 'village' ? divisionCode : null,
    };
  }

  private async save(caller: Caller, school: School, action: 'schools.create' | 'schools.update'): Promise<void> {
    try {
      await snapshotTransaction(this.dataSource, async (manager) => {
        await manager.save(School, school);
        await this.audit.record(caller, { action, targetType: 'school', targetId: school.id }, manager);
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw new AppError('ALREADY_EXISTS', '该学校标识码已被其他学校使用', { code: '学校标识码重复' });
      throw error;
    }
  }

  async toViews(schools: School[]): Promise<SchoolView[]> {
    const names = await this.divisions.names(schools.flatMap((s) => (s.villageCode ? [s.townshipCode, s.villageCode] : [s.townshipCode])));
    return schools.map((s) => ({
      id: s.id,
      name: s.name,
      stage: s.stage,
      code: s.code,
      townshipCode: s.townshipCode,
      townshipName: names.get(s.townshipCode) ?? '',
      villageCode: s.villageCode,
      villageName: s.villageCode ? (names.get(s.villageCode) ?? '') : null,
      countyCode: s.countyCode,
      address: s.address,
    }));
  }
}
