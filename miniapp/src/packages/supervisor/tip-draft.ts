import Taro from '@tarojs/taro';
import type { CreateTipRequest, DivisionLevel } from '@baoxue/shared';
import { tipOutbox, type QueuedTip } from '../../services/tip-outbox';
import { randomUuid } from '../../utils/uuid';

/**
 * The tip a supervisor is writing, saved on the phone at every change so that closing the app,
 * a phone call or a crash loses nothing. One draft per person; its idempotency key is made once,
 * when the draft starts, and stays with the tip through every retry until the server has it.
 */
export interface PlaceStep {
  code: string;
  name: string;
  level: DivisionLevel;
  hasChildren: boolean;
}

/** Where the child lives: the levels picked so far; `done` once a village is picked or the rest is 不清楚. */
export interface PlaceChoice {
  path: PlaceStep[];
  done: boolean;
}

export interface TipDraft {
  userId: string;
  values: Partial<CreateTipRequest> & { idempotencyKey: string; child: CreateTipRequest['child'] };
  place: PlaceChoice;
  /** The picked school's name, to show; its id is in `values.child.lastSchoolId`. */
  schoolLabel: string | null;
  /** The uploaded evidence photo; its id is in `values.photoId`. The link expires, the id does not. */
  photo: { id: string; url: string } | null;
  /** Field errors the server gave when it refused this tip, shown again when it is reopened. */
  errors: Record<string, string>;
  updatedAt: string;
}

const storageKey = (userId: string) => `baoxue.tipDraft.${userId}`;

export function emptyDraft(userId: string): TipDraft {
  return {
    userId,
    values: { idempotencyKey: randomUuid(), child: { name: '', sex: 'unknown' }, divisionCode: null },
    place: { path: [], done: false },
    schoolLabel: null,
    photo: null,
    errors: {},
    updatedAt: new Date().toISOString(),
  };
}

export function loadDraft(userId: string): TipDraft {
  try {
    const stored = Taro.getStorageSync<TipDraft | ''>(storageKey(userId));
    if (stored && stored.userId === userId && stored.values?.idempotencyKey) return stored;
  } catch {
    // unreadable storage: start afresh
  }
  return emptyDraft(userId);
}

export function saveDraft(draft: TipDraft): void {
  Taro.setStorageSync(storageKey(draft.userId), { ...draft, updatedAt: new Date().toISOString() });
}

export function clearDraft(userId: string): void {
  Taro.removeStorageSync(storageKey(userId));
}

/** Whether the person has written anything worth keeping. */
export function hasContent(draft: TipDraft): boolean {
  const { child, observation, locationNote, contact } = draft.values;
  return Boolean(
    child.name?.trim() || observation?.trim() || locationNote?.trim() || contact?.trim() || draft.photo || draft.place.path.length,
  );
}

/** The most precise place known, as the request sends it: a village, township or county code, or null. */
export function placeCode(place: PlaceChoice): string | null {
  return place.path[place.path.length - 1]?.code ?? null;
}

/**
 * Puts a tip the server refused back into the form, with the server's messages beside its fields,
 * and takes it out of the outbox: it is the draft again, under the same idempotency key.
 */
export function reopenRefusedTip(item: QueuedTip): void {
  const draft = item.draft as TipDraft;
  saveDraft({ ...draft, userId: item.userId, errors: item.fields });
  tipOutbox.remove(item.key);
}
