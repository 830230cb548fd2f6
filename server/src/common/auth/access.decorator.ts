import { SetMetadata } from '@nestjs/common';
import { recordActionRoles, type RecordAction, type Role } from '@baoxue/shared';

export const ACCESS_METADATA = 'baoxue:access';

/** The shared route table's key a handler answers (set by `@Endpoint`); the guard reads the route's policy row by it. */
export const ENDPOINT_METADATA = 'baoxue:endpoint';

/** Who may call an endpoint. Every endpoint declares it; the route registry refuses to boot otherwise. */
export type AccessRule = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'roles'; roles: readonly Role[] };

/** No sign-in needed (health, sign-in itself). */
export const Public = () => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule);

/** Any signed-in user, whatever their role. Scope is still applied by the service. */
export const SignedIn = () => SetMetadata(ACCESS_METADATA, { kind: 'signed-in' } satisfies AccessRule);

/** Only these roles; the service still narrows to the caller's unit. */
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_METADATA, { kind: 'roles', roles } satisfies AccessRule);

/** Only the roles that may take one of these policy actions (`RECORD_POLICY`); the service checks the rest (`requireRecordAccess`). */
export const RolesFor = (...actions: RecordAction[]) => Roles(...recordActionRoles(...actions));
