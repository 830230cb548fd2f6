import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type createPolicyRequest, type PolicyView, type SubsidyPolicy } from '@baoxue/shared';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { Caller } from '../../common/auth/caller';
import { requireCountyAccess } from '../../common/auth/record-policy';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { newId } from '../../common/ids';
import { AuditService } from '../audit/audit.service';
import { SubsidyPolicyRow } from './subsidy.entities';
import { mapPolicy, toPolicy } from './subsidy.mappers';
import { transactionWithRetry } from '../../database/transaction';

/**
 * Subsidy rates as data: the national standards (seeded by migration, read-only here) and each
 * county's own rows (top-ups to the living allowance, its 营养改善计划 rate). A county ends a row
 * by giving it an end date; rows are never edited or deleted, so past semesters keep computing
 * to what was in force.
 */
@Injectable()
export class SubsidyPoliciesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** Every rate that can apply to a pupil of this county. */
  async policiesFor(countyCode: string, manager: EntityManager = this.dataSource.manager): Promise<SubsidyPolicy[]> {
    const rows = await manager.find(SubsidyPolicyRow, { where: [{ countyCode: IsNull() }, { countyCode }] });
    return rows.map(toPolicy);
  }

  async list(caller: Caller): Promise<{ items: PolicyView[] }> {
    const rows = await this.dataSource.manager.find(SubsidyPolicyRow, {
      where: [{ countyCode: IsNull() }, ...(caller.countyCode ? [{ countyCode: caller.countyCode }] : [])],
      order: { kind: 'ASC', effectiveFrom: 'DESC' },
    });
    return { items: rows.map(mapPolicy) };
  }

  async create(caller: Caller, input: z.output<typeof createPolicyRequest>): Promise<PolicyView> {
    const county = requireCountyAccess(caller, 'manage_subsidy_policies');
    if (input.kind === 'nutrition' && (input.stage !== null || input.boarding !== null || input.categories !== null))
      throw AppError.invalid({ kind: '营养改善计划按在校日计算，不区分学段、寄宿和困难类别' });
    const row: SubsidyPolicyRow = {
      id: newId(),
      kind: input.kind,
      countyCode: county,
      label: input.label,
      stage: input.stage,
      boarding: input.boarding,
      categories: input.categories,
      amountFen: Math.round(input.amountYuan * 100),
      effectiveFrom: input.effectiveFrom,
      effectiveTo: input.effectiveTo,
      createdBy: caller.userId,
      createdAt: this.clock.now(),
    };
    await transactionWithRetry(this.dataSource, async (manager) => {
      await manager.insert(SubsidyPolicyRow, row);
      await this.audit.record(
        caller,
        {
          action: 'subsidy.policy.create',
          targetType: 'subsidy_policy',
          targetId: row.id,
          details: { kind: row.kind, amountFen: row.amountFen },
        },
        manager,
      );
    });
    return mapPolicy(row);
  }

  async end(caller: Caller, id: string, effectiveTo: string): Promise<PolicyView> {
    const county = requireCountyAccess(caller, 'manage_subsidy_policies');
    const row = await this.dataSource.manager.findOneBy(SubsidyPolicyRow, { id });
    // national standards are not the county's to end; they read as not found like another county's rows
    if (!row || row.countyCode !== county) throw AppError.notFound();
    if (effectiveTo < row.effectiveFrom) throw AppError.invalid({ effectiveTo: '截止日期不能早于开始日期' });
    if (row.effectiveTo !== null && row.effectiveTo < effectiveTo) throw AppError.invalid({ effectiveTo: '该标准已在更早的日期停止执行' });
    await transactionWithRetry(this.dataSource, async (manager) => {
      await manager.update(SubsidyPolicyRow, { id }, { effectiveTo });
      await this.audit.record(
        caller,
        { action: 'subsidy.policy.end', targetType: 'subsidy_policy', targetId: id, details: { effectiveTo } },
        manager,
      );
    });
    return mapPolicy({ ...row, effectiveTo });
  }
}
