import type { InvitationStatus } from '@baoxue/shared';

export const INVITATION_STATUS_LABELS: Record<InvitationStatus, string> = {
  active: '有效',
  used: '已使用',
  expired: '已过期',
  revoked: '已撤销',
};
