import type { Me } from '@baoxue/shared';

/** Enrolment notices come from the county education bureau or a school (the server refuses anyone else). */
export function mayIssueEnrolment(user: Me): boolean {
  return user.role === 'county_admin' || (user.role === 'official' && user.unit?.kind === 'school');
}

/** 延缓入学 is decided by the township government (its leader or cadres) or the county; a village only reads. */
export function mayDecideDeferrals(user: Me): boolean {
  if (user.role === 'county_admin') return true;
  return (
    user.role === 'official' &&
    user.unit?.kind === 'division' &&
    user.unit.level === 'township' &&
    (user.position === 'leader' || user.position === 'cadre')
  );
}

/** School notices are sent by school staff. */
export function maySendSchoolNotices(user: Me): boolean {
  return user.role === 'official' && user.unit?.kind === 'school';
}
