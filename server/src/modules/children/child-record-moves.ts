import { Injectable } from '@nestjs/common';
import { ChildCases, type ChildLinkedRecords } from './child-linked-records';

/**
 * Every column that names a child, as `table.column`, and what a merge does with it. A test compares
 * this with the entities, so a new table with a child's id cannot be left behind by a merge; a merge
 * refuses to run while a column it moves has no handler.
 */
export const CHILD_REFERENCES: Readonly<Record<string, 'moved' | 'bookkeeping'>> = {
  // the children module's own, moved by the merge itself
  'guardianships.child_id': 'moved',
  'child_guardians.child_id': 'moved',
  'attendance.child_id': 'moved',
  'child_match_reviews.child_id': 'moved',
  'child_match_reviews.candidate_id': 'moved',
  // other modules', moved by their ChildLinkedRecords
  'subsidy_eligibility.child_id': 'moved',
  'subsidy_payments.child_id': 'moved',
  'subsidy_complaints.child_id': 'moved',
  'enrolment_notices.child_id': 'moved',
  'deferral_applications.child_id': 'moved',
  'binding_attempts.child_id': 'moved',
  'crosscheck_reviews.child_id': 'moved',
  'case_notices.child_id': 'moved',
  'cases.child_id': 'moved',
  'cases.open_child_id': 'moved',
  'leave_requests.child_id': 'moved',
  'family_contacts.child_id': 'moved',
  'school_reports.child_id': 'moved',
  'pupil_changes.child_id': 'moved',
  'absence_alerts.child_id': 'moved',
  'spot_check_items.child_id': 'moved',
  // the merge's own links
  'children.merged_into_id': 'bookkeeping',
  'child_merges.survivor_id': 'bookkeeping',
  'child_merges.merged_id': 'bookkeeping',
  // the audit log keeps which record was read (append-only); the viewer reads a survivor's entries with its merged records'
  'audit_log.child_id': 'bookkeeping',
};

/** The tables of the children module (ChildMergeService moves their rows itself). */
const OWN_TABLES = new Set(['guardianships', 'child_guardians', 'attendance', 'child_match_reviews', 'children', 'child_merges']);

/**
 * The modules that own rows of a child, each with its ChildLinkedRecords: registered by the owning
 * module in its onModuleInit (or by whoever builds a merge outside Nest: the one-child migration,
 * the CLI), so the children module depends on none of them.
 */
@Injectable()
export class ChildRecordMoves {
  private readonly handlers = new Map<string, ChildLinkedRecords>();

  register(...handlers: ChildLinkedRecords[]): this {
    for (const handler of handlers) {
      if (this.handlers.has(handler.module)) throw new Error(`child records of ${handler.module} are registered twice`);
      this.handlers.set(handler.module, handler);
    }
    return this;
  }

  /**
   * Every handler, by module name (each merge moves in the same order). Fails while a column that a
   * merge moves has no handler, or a handler names a column CHILD_REFERENCES does not list: a merge
   * must not leave a child's rows behind.
   */
  all(): ChildLinkedRecords[] {
    const handlers = [...this.handlers.values()].sort((a, b) => a.module.localeCompare(b.module));
    const handled = new Set(handlers.flatMap((h) => h.references));
    const missing = Object.entries(CHILD_REFERENCES)
      .filter(([ref, what]) => what === 'moved' && !OWN_TABLES.has(ref.split('.')[0]!) && !handled.has(ref))
      .map(([ref]) => ref);
    const unknown = [...handled].filter((ref) => CHILD_REFERENCES[ref] !== 'moved');
    if (missing.length || unknown.length)
      throw new Error(`child merges are not wired: no handler for ${missing.join(', ') || '-'}; unknown ${unknown.join(', ') || '-'}`);
    return handlers;
  }

  /** The cases module's handler. */
  get cases(): ChildCases {
    const cases = [...this.handlers.values()].find((h): h is ChildCases => h instanceof ChildCases);
    if (!cases) throw new Error('child merges are not wired: the cases module has not registered its ChildCases');
    return cases;
  }
}
