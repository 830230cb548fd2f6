import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  chinaDay,
  nutritionRate,
  semesterEntitlement,
  semesterKey,
  semesterLabel,
  semestersOfSchoolYear,
  type ChildSubsidiesResponse,
} from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { readsBoundChildren } from '../../common/auth/scope';
import { AppError } from '../../common/errors/app-error';
import { AuditService } from '../audit/audit.service';
import { isGuardianOf, officialCanSeeChild } from '../children/child-access';
import { ChildRegistry } from '../children/child-registry.service';
import { schoolNamesOf } from '../children/lookups';
import { SchoolRecords } from '../schools/school-records';
import { Clock } from '../../common/clock';
import { countyOfChild } from './pupil-lookup';
import { SubsidyPoliciesService } from './subsidy-policies.service';
import { SubsidyComplaint, SubsidyEligibilityRow, SubsidyPayment } from './subsidy.entities';
import { mapChildSubsidies } from './subsidy.mappers';

/**
 * A child's subsidy record (BRIEF §6): eligibility by school year, the entitlement of each
 * semester computed from the rates in force, every payment, and the meals of the 营养改善计划.
 * Guardians see their own children's; officials in scope see any, and each such view is audited.
 */
@Injectable()
export class ChildSubsidiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly policies: SubsidyPoliciesService,
    private readonly audit: AuditService,
    private readonly registry: ChildRegistry,
    private readonly schoolRecords: SchoolRecords,
  ) {}

  async record(caller: Caller, id: string): Promise<ChildSubsidiesResponse> {
    const manager = this.dataSource.manager;
    // a link to a record merged since leads to the child's surviving record
    const child = await this.registry.current(manager, id);
    if (!child) throw AppError.notFound();
    const childId = child.id;
    // `read_child`: a guardian reaches the children bound to them, anyone else by the child's village or school
    const guardian = readsBoundChildren(caller, 'read_child') && (await isGuardianOf(manager, caller.userId, childId));
    if (!guardian && !officialCanSeeChild(caller, child)) throw AppError.notFound();
    const county = await countyOfChild(this.schoolRecords, manager, child);
    const [eligibility, payments, complaints, policies, schools] = await Promise.all([
      manager.find(SubsidyEligibilityRow, { where: { childId }, order: { schoolYear: 'DESC' } }),
      manager.find(SubsidyPayment, { where: { childId }, order: { semester: 'DESC', createdAt: 'DESC' } }),
      manager.find(SubsidyComplaint, { where: { childId }, order: { createdAt: 'DESC' } }),
      county ? this.policies.policiesFor(county, manager) : Promise.resolve([]),
      schoolNamesOf(manager, [child.schoolId]),
    ]);
    if (caller.role !== 'parent')
      await this.audit.record(caller, {
        action: 'child.subsidies.read',
        targetType: 'child',
        targetId: childId,
        childId,
        placeCode: child.villageCode ?? county,
      });

    const entitlements = eligibility.flatMap((e) =>
      semestersOfSchoolYear(e.schoolYear)
        .reverse()
        .map((semester) => {
          const computed = semesterEntitlement(semester, e, county ?? '', policies);
          const key = semesterKey(semester);
          return {
            semester: key,
            label: semesterLabel(semester),
            lines: computed.lines.map((l) => ({ kind: l.kind, label: l.label, amountFen: l.amountFen })),
            totalFen: computed.totalFen,
            paidFen: payments.filter((p) => p.semester === key && p.status === 'paid').reduce((sum, p) => sum + p.amountFen, 0),
          };
        }),
    );
    const nutrition = child.schoolId && county ? nutritionRate(county, chinaDay(this.clock.now()), policies) : null;
    return mapChildSubsidies(
      guardian ? 'guardian' : 'official',
      child,
      { eligibility, payments, complaints },
      { entitlements, nutrition },
      schools,
    );
  }
}
