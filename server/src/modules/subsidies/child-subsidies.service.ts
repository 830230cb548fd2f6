import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  chinaDay,
  formatYuan,
  nutritionRate,
  PAYMENT_STATUSES,
  parseSemesterKey,
  schoolYearLabel,
  semesterEntitlement,
  semesterKey,
  semesterLabel,
  semestersOfSchoolYear,
  type ChildSubsidiesResponse,
} from '@baoxue/shared';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../common/auth/caller';
import { AppError } from '../../common/errors/app-error';
import { AuditService } from '../audit/audit.service';
import { assertGuardian, officialCanSeeChild } from '../children/child-access';
import { ChildRegistry } from '../children/child-registry.service';
import { schoolNamesOf } from '../children/lookups';
import { Clock } from '../../common/clock';
import { countyOfChild } from './pupil-lookup';
import { toPaymentView } from './payments.service';
import { SubsidyPoliciesService } from './subsidy-policies.service';
import { SubsidyComplaint, SubsidyEligibilityRow, SubsidyPayment } from './subsidy.entities';

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
  ) {}

  async record(caller: Caller, id: string): Promise<ChildSubsidiesResponse> {
    const manager = this.dataSource.manager;
    // a link to a record merged since leads to the child's surviving record
    const child = await this.registry.current(manager, id);
    if (!child) throw AppError.notFound();
    const childId = child.id;
    if (caller.role === 'parent') await assertGuardian(manager, caller.userId, childId);
    else if (!officialCanSeeChild(caller, child)) throw AppError.notFound();
    const county = await countyOfChild(manager, child);
    const [eligibility, payments, complaints, policies, schools] = await Promise.all([
      manager.find(SubsidyEligibilityRow, { where: { childId }, order: { schoolYear: 'DESC' } }),
      manager.find(SubsidyPayment, { where: { childId }, order: { semester: 'DESC', createdAt: 'DESC' } }),
      manager.find(SubsidyComplaint, { where: { childId }, order: { createdAt: 'DESC' } }),
      county ? this.policies.policiesFor(county, manager) : Promise.resolve([]),
      schoolNamesOf(manager, [child.schoolId]),
    ]);
    if (caller.role !== 'parent')
      await this.audit.record(caller, { action: 'child.subsidies.read', targetType: 'child', targetId: childId });

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
    const paymentById = new Map(payments.map((p) => [p.id, p]));
    return {
      child: {
        id: child.id,
        name: child.name,
        schoolName: child.schoolId ? (schools.get(child.schoolId) ?? null) : null,
        grade: child.grade,
      },
      eligibility: eligibility.map((e) => ({
        schoolYear: e.schoolYear,
        schoolYearLabel: schoolYearLabel(e.schoolYear),
        category: e.category,
        stage: e.stage,
        boarding: e.boarding,
      })),
      entitlements,
      payments: payments.map((p) => toPaymentView(p, child.name)),
      benefitsInKind: nutrition
        ? [
            {
              label: '营养改善计划',
              description: `在校就餐，按每个在校日${formatYuan(nutrition.amountFen)}的标准由学校提供营养膳食，不发放现金。`,
              dailyFen: nutrition.amountFen,
              since: nutrition.effectiveFrom,
            },
          ]
        : [],
      complaints: complaints.map((c) => ({
        id: c.id,
        status: c.status,
        createdAt: c.createdAt.toISOString(),
        subject: complaintSubject(c, c.paymentId ? (paymentById.get(c.paymentId) ?? null) : null),
      })),
    };
  }
}

/** `2024年春季学期 生活补助 625元（发放失败）` or `2024年春季学期 应享资助`. */
export function complaintSubject(complaint: Pick<SubsidyComplaint, 'semester'>, payment: SubsidyPayment | null): string {
  const label = semesterLabel(parseSemesterKey(complaint.semester)!);
  return payment ? `${label} 生活补助 ${formatYuan(payment.amountFen)}（${PAYMENT_STATUSES[payment.status]}）` : `${label} 应享资助`;
}
