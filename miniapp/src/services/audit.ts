import type { Me, RequestQuery, ResponseOf } from '@baoxue/shared';
import { call } from './request';

export type AuditEntry = ResponseOf<'auditList'>['items'][number];

/**
 * The audit log (BRIEF §7): who read, revealed or exported which child's record, merged records,
 * changed roles or settings and signed in; the county bureau reads its county's, a township's
 * leaders their township's. Every reading is itself recorded.
 */
export const auditApi = {
  list: (query: RequestQuery<'auditList'>) => call('auditList', { query }),
};

/** Who reads the audit log: county admins (their county) and township leaders (their township), as `read_audit`. */
export function canReadAudit(user: Me): boolean {
  if (user.role === 'county_admin') return true;
  return user.role === 'official' && user.position === 'leader' && user.unit?.kind === 'division' && user.unit.level === 'township';
}
