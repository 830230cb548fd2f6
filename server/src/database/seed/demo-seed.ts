import { resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Position, Role, SchoolStage } from '@baoxue/shared';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { newId } from '../../common/ids';
import { LOGGER } from '../../common/logging/logger';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { User } from '../../modules/accounts/user.entity';
import { Division, ServedCounty } from '../../modules/divisions/division.entity';
import { DivisionImportService } from '../../modules/divisions/division-import.service';
import { School } from '../../modules/schools/school.entity';
import { DEMO_PUPILS_SCHOOL, seedParentsWalkThrough } from './demo-parents';
import { seedSchoolLine } from './demo-school-line';
import { snapshotTransaction } from '../transaction';

/** 光山县, Henan: 19 townships, 365 villages (NBS 2023), shipped in `server/data/`. */
export const DEMO_COUNTY_CODE = '411522000000';
export const DEMO_DIVISIONS_FILE = resolve(__dirname, '../../../data/divisions-411522-guangshan.csv');
export const DEMO_TOWNSHIP_CODE = '411522101000'; // 十里镇
export const DEMO_VILLAGE_CODE = '411522101203'; // 吴明村
export const DEMO_SCHOOL_NAME = '光山县十里镇中心小学';
export const DEMO_OTHER_TOWNSHIP_CODE = '411522102000'; // 寨河镇

interface DemoAccount {
  account: string;
  displayName: string;
  role: Role;
  position: Position | null;
  unit: { division: string } | { school: string } | null;
}

/** One account per role (and per kind of official), in the order the sign-in page lists them. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { account: 'parent', displayName: '张秀英', role: 'parent', position: null, unit: null },
  { account: 'supervisor', displayName: '李建国', role: 'supervisor', position: null, unit: { division: DEMO_VILLAGE_CODE } },
  { account: 'township-leader', displayName: '王志强', role: 'official', position: 'leader', unit: { division: DEMO_TOWNSHIP_CODE } },
  { account: 'township-cadre', displayName: '陈丽', role: 'official', position: 'cadre', unit: { division: DEMO_TOWNSHIP_CODE } },
  { account: 'village-cadre', displayName: '刘德明', role: 'official', position: 'cadre', unit: { division: DEMO_VILLAGE_CODE } },
  { account: 'school-staff', displayName: '赵敏', role: 'official', position: 'school_staff', unit: { school: DEMO_SCHOOL_NAME } },
  { account: 'school-leader', displayName: '黄振东', role: 'official', position: 'leader', unit: { school: DEMO_SCHOOL_NAME } },
  { account: 'zhaihe-cadre', displayName: '孙志刚', role: 'official', position: 'cadre', unit: { division: DEMO_OTHER_TOWNSHIP_CODE } },
  { account: 'county-admin', displayName: '周国华', role: 'county_admin', position: null, unit: { division: DEMO_COUNTY_CODE } },
];

/** `吴明村民委员会` → `吴明`, `五里店社区居民委员会` → `五里店`: the short name a school takes. */
function villageShortName(name: string): string {
  return name.replace(/(社区居民委员会|村民委员会|居民委员会|村委会)$/, '');
}

/**
 * Loads the demo county into an empty database: its real divisions, a central primary and a junior
 * school in every township, a primary school in a few villages, and the demo accounts; in demo
 * mode also pupils, notices and subsidies for the parents' walk-through (demo-parents.ts).
 */
@Injectable()
export class DemoSeeder {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly importer: DivisionImportService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async seedIfEmpty(): Promise<boolean> {
    if ((await this.dataSource.manager.count(ServedCounty)) > 0) return false;
    await this.importer.importFile(DEMO_DIVISIONS_FILE);
    await snapshotTransaction(this.dataSource, async (manager) => {
      await manager.insert(ServedCounty, { code: DEMO_COUNTY_CODE, settings: {} });
      const townships = await manager.find(Division, {
        where: { parentCode: DEMO_COUNTY_CODE, level: 'township' },
        order: { code: 'ASC' },
      });
      const schools: Array<Partial<School>> = [];
      const add = (name: string, stage: SchoolStage, townshipCode: string, villageCode: string | null) =>
        schools.push({ id: newId(), name, stage, code: null, countyCode: DEMO_COUNTY_CODE, townshipCode, villageCode, address: null });
      for (const township of townships) {
        add(`光山县${township.name}中心小学`, 'primary', township.code, null);
        add(`光山县${township.name}初级中学`, 'junior', township.code, null);
        const villages = await manager.find(Division, { where: { parentCode: township.code }, order: { code: 'ASC' }, take: 2 });
        for (const village of villages)
          add(`光山县${township.name}${villageShortName(village.name)}小学`, 'primary', township.code, village.code);
      }
      await manager.insert(School, schools);

      const schoolIds = new Map(schools.map((s) => [s.name!, s.id!]));
      const start = Date.now();
      await manager.insert(
        User,
        DEMO_ACCOUNTS.map((a, i) => {
          const schoolId = a.unit && 'school' in a.unit ? schoolIds.get(a.unit.school)! : null;
          const divisionCode = a.unit && 'division' in a.unit ? a.unit.division : null;
          return {
            id: newId(start + i), // ids sort in the listed order
            openid: null,
            demoAccount: a.account,
            role: a.role,
            displayName: a.displayName,
            position: a.position,
            unitDivisionCode: divisionCode,
            unitSchoolId: schoolId,
            countyCode: a.unit ? DEMO_COUNTY_CODE : null,
            disabled: false,
          };
        }),
      );
      // The parents' walk-through (README) is for people trying the demo; test servers keep the bare county.
      if (this.config.mode === 'demo') {
        await seedParentsWalkThrough(manager, this.clock.now());
        await seedSchoolLine(manager, this.clock.now(), DEMO_PUPILS_SCHOOL);
      }
    });
    this.logger.info({ county: DEMO_COUNTY_CODE }, 'demo county loaded');
    return true;
  }
}
