import type { PupilChangeView } from '@baoxue/shared';
import type { PupilChange } from './pupil-change.entity';

type Names = ReadonlyMap<string, string>;

/**
 * A 学籍异动 as the schools and the county read it; names come looked up per page. The document's
 * link comes only for a reader the service found entitled to it (`documentUrl` null otherwise).
 */
export function mapPupilChange(
  change: PupilChange,
  names: { children: Names; schools: Names; users: Names },
  documentUrl: string | null,
): PupilChangeView {
  return {
    id: change.id,
    childId: change.childId,
    childName: names.children.get(change.childId) ?? '',
    kind: change.kind,
    status: change.status,
    fromSchoolName: names.schools.get(change.fromSchoolId) ?? '',
    toSchoolName: change.toSchoolId ? (names.schools.get(change.toSchoolId) ?? '') : null,
    destination: change.destination,
    effectiveOn: change.effectiveOn,
    reason: change.reason,
    hasDocument: change.documentUploadId !== null,
    documentUploadId: change.documentUploadId,
    documentUrl,
    requestedByName: names.users.get(change.requestedBy) ?? null,
    requestedAt: change.requestedAt.toISOString(),
    decisionNote: change.decisionNote,
    decidedAt: change.decidedAt?.toISOString() ?? null,
    closedCaseId: change.closedCaseId,
  };
}
