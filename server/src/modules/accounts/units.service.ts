import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DivisionLevel, UnitView } from '@baoxue/shared';
import { divisionLevelOf } from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import { DivisionsService } from '../divisions/divisions.service';
import { SchoolRecords } from '../schools/school-records';

export interface UnitHolder {
  unitDivisionCode: string | null;
  unitSchoolId: string | null;
}

/** Describes the units (a division or a school) of several accounts or invitations at once. */
@Injectable()
export class UnitsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly divisions: DivisionsService,
    private readonly schoolRecords: SchoolRecords,
  ) {}

  async describe(holders: UnitHolder[]): Promise<Array<UnitView | null>> {
    const divisionCodes = holders.flatMap((h) => (h.unitDivisionCode ? [h.unitDivisionCode] : []));
    const schoolIds = [...new Set(holders.flatMap((h) => (h.unitSchoolId ? [h.unitSchoolId] : [])))];
    const [names, fullNames, schools] = await Promise.all([
      this.divisions.names(divisionCodes),
      this.divisions.fullNames(divisionCodes),
      this.schoolRecords.findByIds(this.dataSource.manager, schoolIds),
    ]);
    const schoolsById = new Map(schools.map((s) => [s.id, s]));
    return holders.map((h): UnitView | null => {
      if (h.unitDivisionCode) {
        const code = h.unitDivisionCode;
        return {
          kind: 'division',
          code,
          name: names.get(code) ?? code,
          fullName: fullNames.get(code) || names.get(code) || code,
          level: divisionLevelOf(code) as DivisionLevel,
        };
      }
      const school = h.unitSchoolId ? schoolsById.get(h.unitSchoolId) : undefined;
      if (school)
        return { kind: 'school', schoolId: school.id, name: school.name, townshipCode: school.townshipCode, countyCode: school.countyCode };
      return null;
    });
  }

  async describeOne(holder: UnitHolder): Promise<UnitView | null> {
    return (await this.describe([holder]))[0] ?? null;
  }
}
