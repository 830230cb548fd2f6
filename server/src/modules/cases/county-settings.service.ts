import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { countySettings, type CountySettings } from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { AppError } from '../../common/errors/app-error';
import { AuditService } from '../audit/audit.service';
import { DivisionRecords, type ServedCountyRow } from '../divisions/division-records';
import { transactionWithRetry } from '../../database/transaction';

/** Local policy per county: time limits and rules, with the BRIEF's defaults for what is not set. */
@Injectable()
export class CountySettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly divisionRecords: DivisionRecords,
  ) {}

  async get(caller: Caller): Promise<CountySettings> {
    const county = await this.countyOf(caller);
    return countySettings(county.settings);
  }

  async update(caller: Caller, changes: Partial<CountySettings>): Promise<CountySettings> {
    const county = await this.countyOf(caller);
    const merged = countySettings({ ...county.settings, ...changes });
    if (merged.closeMinPresentDays > merged.closeWindowDays)
      throw AppError.invalid({ closeMinPresentDays: '销号所需出勤天数不能超过观察期' });
    await transactionWithRetry(this.dataSource, async (manager) => {
      await this.divisionRecords.setCountySettings(manager, county.code, { ...county.settings, ...changes });
      await this.audit.record(
        caller,
        {
          action: 'county.settings',
          targetType: 'county',
          targetId: county.code,
          placeCode: county.code,
          details: { changed: Object.keys(changes).join(',') },
        },
        manager,
      );
    });
    return merged;
  }

  private async countyOf(caller: Caller): Promise<ServedCountyRow> {
    const county = caller.countyCode ? await this.divisionRecords.servedCounty(this.dataSource.manager, caller.countyCode) : null;
    if (!county) throw AppError.notFound();
    return county;
  }
}
