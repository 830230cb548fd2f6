import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Position, Role } from '@baoxue/shared';

export type CallerUnit =
  { kind: 'division'; code: string } | { kind: 'school'; schoolId: string; townshipCode: string; countyCode: string };

/** The signed-in user as every service sees them; built once per request by the auth guard. */
export interface Caller {
  userId: string;
  sessionId: string;
  role: Role;
  position: Position | null;
  displayName: string;
  unit: CallerUnit | null;
  /** The county of the caller's unit (null for parents). */
  countyCode: string | null;
  /**
   * That county's stored settings (its local policy over the defaults), read with the session: null
   * when the deployment does not serve it. Absent on a caller not built from a session (then ask the
   * database).
   */
  countySettings?: Record<string, unknown> | null;
}

export type RequestWithCaller = { caller?: Caller };

/** The authenticated caller. Only on routes that require sign-in (the guard guarantees it is set). */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller) throw new Error('CurrentCaller used on a public route');
  return caller;
});
