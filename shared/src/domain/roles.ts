/** Who a signed-in user is in the product. One working role per account. */
export const Role = {
  parent: 'parent', // 家长 / 监护人
  supervisor: 'supervisor', // 社会监督员
  official: 'official', // 乡镇、村干部，学校教职工
  countyAdmin: 'county_admin', // 县教育局
  regionAdmin: 'region_admin', // 市、省教育局: aggregates of the counties under its division prefix only
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES = Object.values(Role) as [Role, ...Role[]];

export const ROLE_LABELS: Record<Role, string> = {
  parent: '家长',
  supervisor: '社会监督员',
  official: '工作人员',
  county_admin: '县教育局管理员',
  region_admin: '上级教育局管理员',
};

/** What a region admin's unit is called: 省教育局 for a province (2-digit prefix), 市教育局 for a prefecture (4 digits). */
export function regionAdminLabel(regionCode: string): string {
  return /^\d{2}0{10}$/.test(regionCode) ? '省教育局' : '市教育局';
}

/** The bureau of a named region: 河南省教育厅, 信阳市教育局. */
export function regionBureauName(regionName: string, regionCode: string): string {
  return /^\d{2}0{10}$/.test(regionCode) ? `${regionName}教育厅` : `${regionName}教育局`;
}

/** An official's position within their unit. */
export const Position = {
  leader: 'leader', // 分管领导 / 乡镇长 / 校长
  cadre: 'cadre', // 包抓干部
  schoolStaff: 'school_staff', // 校长、班主任
} as const;
export type Position = (typeof Position)[keyof typeof Position];
export const POSITIONS = Object.values(Position) as [Position, ...Position[]];

export const POSITION_LABELS: Record<Position, string> = {
  leader: '负责人',
  cadre: '包抓干部',
  school_staff: '学校教职工',
};

/**
 * Roles an invitation code can grant. A county's first county admin redeems a code the deployment's
 * operator prints (`invite-county-admin`); county admins then invite everyone else, other county
 * admins of their county included. A prefecture's or province's first region admin likewise
 * (`invite-region-admin`), who then invites colleagues of the same region.
 */
export const INVITABLE_ROLES = [Role.supervisor, Role.official, Role.countyAdmin, Role.regionAdmin] as const;
export type InvitableRole = (typeof INVITABLE_ROLES)[number];
