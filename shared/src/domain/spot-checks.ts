/**
 * 督导 spot checks (BRIEF §5a, issue 18 part 5): the county draws a random sample of the cases closed
 * (销号) in a period, per township; an inspector re-verifies each — is the child really in class? — and
 * a problem opens a 整改 item (rectification) for the township with a deadline.
 */

/** What an inspector found for a sampled case. */
export const SPOT_CHECK_RESULTS = {
  attending: '确在校就读',
  not_attending: '未在校就读',
  record_mismatch: '在校，但记录与实际不符',
} as const;
export type SpotCheckResult = keyof typeof SPOT_CHECK_RESULTS;

/** A finding that is a problem: it opens a 整改 item; a child not attending also reopens the case. */
export function isSpotCheckProblem(result: SpotCheckResult): boolean {
  return result !== 'attending';
}

/**
 * A 整改 item's course: the township records what it did (`reported`), the county accepts it
 * (`accepted`) or returns it (back to `open`, with the county's note).
 */
export const RECTIFICATION_STATUSES = {
  open: '待整改',
  reported: '已整改，待验收',
  accepted: '已验收',
} as const;
export type RectificationStatus = keyof typeof RECTIFICATION_STATUSES;

/** Days a township has to rectify when the inspector sets no deadline. */
export const RECTIFICATION_DEFAULT_DAYS = 15;
/** At most this many cases drawn per township in one draw. */
export const SPOT_CHECK_MAX_PER_TOWNSHIP = 200;
/** The largest seed (a 31-bit integer: what the generator is seeded with, and what the county writes down). */
export const SPOT_CHECK_SEED_MAX = 2_147_483_647;

/** How many cases to draw from a township: a size as given, or a share (per cent) of its population rounded up. */
export function spotCheckSampleSize(population: number, spec: { size?: number; share?: number }): number {
  if (spec.size !== undefined) return spec.size;
  return Math.ceil((population * (spec.share ?? 0)) / 100);
}

/** Whether a 整改 item is past its deadline (a China day) and still with the township. */
export function isRectificationOverdue(item: { status: RectificationStatus; deadlineOn: string }, today: string): boolean {
  return item.status === 'open' && item.deadlineOn < today;
}
