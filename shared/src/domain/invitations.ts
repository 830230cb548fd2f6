export const INVITATION_STATUSES = ['active', 'used', 'expired', 'revoked'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const INVITATION_STATUS_LABELS: Record<InvitationStatus, string> = {
  active: '有效',
  used: '已使用',
  expired: '已过期',
  revoked: '已撤销',
};
