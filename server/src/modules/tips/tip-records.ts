import { Injectable } from '@nestjs/common';
import { PSEUDONYMISED_TEXT } from '@baoxue/shared';
import { In, type EntityManager } from 'typeorm';
import type { CaseTipRecords } from '../cases/case-tips';
import { Tip } from './tip.entity';

/** The stored tips of cases, for merges and retention (CaseTipRecords). */
@Injectable()
export class TipRecords implements CaseTipRecords {
  async idsOf(manager: EntityManager, caseId: string): Promise<string[]> {
    const rows = await manager.find(Tip, { where: { caseId }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  async moveAll(manager: EntityManager, fromCaseId: string, toCaseId: string): Promise<void> {
    await manager.update(Tip, { caseId: fromCaseId }, { caseId: toCaseId });
  }

  async move(manager: EntityManager, tipIds: string[], fromCaseId: string, toCaseId: string): Promise<number> {
    if (tipIds.length === 0) return 0;
    const result = await manager.update(Tip, { id: In(tipIds), caseId: fromCaseId }, { caseId: toCaseId });
    return result.affected ?? tipIds.length;
  }

  async pseudonymise(manager: EntityManager, caseIds: string[]): Promise<{ tipIds: string[]; photoIds: string[] }> {
    const tips = await manager.find(Tip, { where: { caseId: In(caseIds) }, select: { id: true, photoId: true } });
    const tipIds = tips.map((t) => t.id);
    if (tipIds.length) {
      await manager.update(
        Tip,
        { id: In(tipIds) },
        {
          childName: PSEUDONYMISED_TEXT,
          childIdNumber: null,
          locationNote: null,
          observation: PSEUDONYMISED_TEXT,
          contact: null,
          photoId: null,
        },
      );
    }
    return { tipIds, photoIds: tips.flatMap((t) => (t.photoId ? [t.photoId] : [])) };
  }
}
