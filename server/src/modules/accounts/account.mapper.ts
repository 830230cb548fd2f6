import type { AccountView, Me, UnitView } from '@baoxue/shared';
import type { User } from './user.entity';

export function toMe(user: User, unit: UnitView | null): Me {
  return {
    id: user.id,
    role: user.role,
    displayName: user.displayName,
    position: user.position,
    unit,
    privacyConsentVersion: user.privacyConsentVersion,
  };
}

export function toAccountView(user: User, unit: UnitView | null): AccountView {
  return {
    id: user.id,
    role: user.role,
    displayName: user.displayName,
    position: user.position,
    unit,
    disabled: user.disabled,
    createdAt: user.createdAt.toISOString(),
    lastSeenAt: user.lastSeenAt?.toISOString() ?? null,
  };
}
