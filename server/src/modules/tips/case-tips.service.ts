import { Injectable } from '@nestjs/common';
import type { OfficialTipView, TipMilestone } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import type { CaseTips } from '../cases/case-tips';
import { DivisionsService } from '../divisions/divisions.service';
import { schoolNames } from '../schools/school-names';
import { UploadsService } from '../uploads/uploads.service';
import { TipMilestonesService } from './tip-milestones.service';
import { TipRecords } from './tip-records';
import { Tip } from './tip.entity';
import { mapTipForOfficial } from './tip.mappers';

/** The tips of a case, for the cases module (CaseTips). */
@Injectable()
export class CaseTipsService extends TipRecords implements CaseTips {
  constructor(
    private readonly divisions: DivisionsService,
    private readonly uploads: UploadsService,
    private readonly milestones: TipMilestonesService,
  ) {
    super();
  }

  async officialViews(manager: EntityManager, caseId: string): Promise<OfficialTipView[]> {
    const tips = await manager.find(Tip, { where: { caseId }, order: { createdAt: 'ASC' } });
    const [schools, places] = await Promise.all([
      schoolNames(
        manager,
        tips.map((t) => t.lastSchoolId),
      ),
      this.divisions.fullNames(tips.flatMap((t) => (t.divisionCode ? [t.divisionCode] : []))),
    ]);
    const lookups = { schoolNames: schools, places, photoUrl: (id: string) => this.uploads.signedUrl(id) };
    return tips.map((t) => mapTipForOfficial(t, lookups));
  }

  announce(manager: EntityManager, caseId: string, milestone: TipMilestone, note: string | null): Promise<void> {
    return this.milestones.announce(manager, caseId, milestone, note);
  }
}
