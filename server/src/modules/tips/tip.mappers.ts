import { maskedOrNull, type OfficialTipView, type OwnTipView, type TipMilestoneView } from '@baoxue/shared';
import type { Tip } from './tip.entity';

/** What a tip view reads from the stored tip; never the tipster's account. */
export type TipFields = Pick<
  Tip,
  | 'id'
  | 'createdAt'
  | 'childName'
  | 'childSex'
  | 'childAge'
  | 'childGrade'
  | 'lastSchoolId'
  | 'lastSchoolName'
  | 'childIdNumber'
  | 'divisionCode'
  | 'locationNote'
  | 'observation'
  | 'photoId'
>;

/** Names the service looks up once per page of tips. */
export interface TipLookups {
  schoolNames: ReadonlyMap<string, string>;
  /** Full place names by division code. */
  places: ReadonlyMap<string, string>;
  /** A short-lived link to an uploaded photo. */
  photoUrl: (photoId: string) => string;
}

/** The child as the tipster described them: a picked school by its current name, else the typed one. */
function mapTipChild(tip: TipFields, schoolNames: ReadonlyMap<string, string>): OfficialTipView['child'] {
  return {
    name: tip.childName,
    sex: tip.childSex,
    age: tip.childAge,
    grade: tip.childGrade,
    schoolName: (tip.lastSchoolId ? schoolNames.get(tip.lastSchoolId) : undefined) ?? tip.lastSchoolName,
    idNumberMasked: maskedOrNull(tip.childIdNumber),
  };
}

/** A tip as officials see it: what was reported, never who reported it nor their contact. */
export function mapTipForOfficial(tip: TipFields, lookups: TipLookups): OfficialTipView {
  return {
    id: tip.id,
    createdAt: tip.createdAt.toISOString(),
    child: mapTipChild(tip, lookups.schoolNames),
    place: tip.divisionCode ? (lookups.places.get(tip.divisionCode) ?? null) : null,
    locationNote: tip.locationNote,
    observation: tip.observation,
    photoUrl: tip.photoId ? lookups.photoUrl(tip.photoId) : null,
  };
}

/**
 * A supervisor's own tip: what they wrote, plus the case's coarse milestones and nothing of the
 * family's details. Without milestones the tip has only just been received.
 */
export function mapTipForSupervisor(
  tip: TipFields & Pick<Tip, 'contact' | 'alreadyFollowed'>,
  lookups: TipLookups,
  milestones: TipMilestoneView[] | undefined,
): OwnTipView {
  const { id, createdAt, child, place, locationNote, observation, photoUrl } = mapTipForOfficial(tip, lookups);
  return {
    id,
    createdAt,
    child,
    place,
    locationNote,
    observation,
    contact: tip.contact,
    photoUrl,
    alreadyFollowed: tip.alreadyFollowed,
    milestones: milestones ?? [{ kind: 'received', at: createdAt, note: null }],
  };
}
