import { z } from 'zod';
import { INVITATION_STATUSES } from '../../domain/invitations';
import { divisionLevelOf } from '../../validators/division-code';
import { INVITABLE_ROLES, POSITIONS, ROLES } from '../../domain/roles';
import { personNameField, textField, typedCodeField } from '../fields';
import { unitRef, unitView } from './common';

export const createInvitationRequest = z
  .object({
    role: z.enum(INVITABLE_ROLES, { error: '请选择身份（社会监督员、工作人员、县教育局或上级教育局管理员）' }),
    unit: unitRef,
    position: z.enum(POSITIONS, { error: '请选择职务' }).nullable().default(null),
    /** Whom the code is for, so the admin can tell codes apart; not shown to others. */
    note: textField('备注', 50).optional(),
    expiresInHours: z.coerce
      .number({ error: '有效期应为数字' })
      .int('有效期应为整数小时')
      .min(1, '有效期至少1小时')
      .max(24 * 30, '有效期最长30天')
      .default(72),
  })
  .superRefine((value, ctx) => {
    if (value.role === 'region_admin') {
      // a colleague of the region admin's own prefecture or province; the server checks the code
      if (value.position) ctx.addIssue({ code: 'custom', path: ['position'], message: '上级教育局管理员不设职务' });
      if (value.unit.kind === 'school') ctx.addIssue({ code: 'custom', path: ['unit'], message: '上级教育局管理员的单位应为本市或本省' });
      else if (!['province', 'prefecture'].includes(divisionLevelOf(value.unit.code)))
        ctx.addIssue({ code: 'custom', path: ['unit', 'code'], message: '上级教育局管理员的单位应为市或省' });
      return;
    }
    if (value.role === 'county_admin') {
      // the unit is the admin's own county; the server checks the code
      if (value.position) ctx.addIssue({ code: 'custom', path: ['position'], message: '县教育局管理员不设职务' });
      if (value.unit.kind === 'school') ctx.addIssue({ code: 'custom', path: ['unit'], message: '县教育局管理员的单位应为本县' });
      return;
    }
    if (value.role === 'supervisor') {
      if (value.position) ctx.addIssue({ code: 'custom', path: ['position'], message: '社会监督员不设职务' });
      if (value.unit.kind === 'school') ctx.addIssue({ code: 'custom', path: ['unit'], message: '社会监督员应归属行政区划，而非学校' });
      return;
    }
    if (!value.position) ctx.addIssue({ code: 'custom', path: ['position'], message: '工作人员需选择职务' });
    else if (value.position === 'school_staff' && value.unit.kind !== 'school') {
      ctx.addIssue({ code: 'custom', path: ['unit'], message: '学校教职工的单位应为学校' });
    } else if (value.position !== 'school_staff' && value.unit.kind === 'school') {
      ctx.addIssue({ code: 'custom', path: ['position'], message: '学校单位的职务应为学校教职工' });
    }
  });
export type CreateInvitationRequest = z.input<typeof createInvitationRequest>;

export const invitationView = z.object({
  id: z.string(),
  role: z.enum(INVITABLE_ROLES),
  position: z.enum(POSITIONS).nullable(),
  unit: unitView,
  note: z.string().nullable(),
  status: z.enum(INVITATION_STATUSES),
  expiresAt: z.string(),
  createdAt: z.string(),
  usedAt: z.string().nullable(),
  usedByName: z.string().nullable(),
  /** Who issued the code; null: the deployment's operator (`invite-county-admin`). */
  issuedByName: z.string().nullable(),
  /** The last two characters, so an admin can tell which printed code this is. */
  codeHint: z.string(),
});
export type InvitationView = z.infer<typeof invitationView>;

/** The plain code is returned once, at creation; only its hash is stored. */
export const createdInvitationResponse = invitationView.extend({ code: z.string() });

export const listInvitationsQuery = z.object({
  status: z.enum(INVITATION_STATUSES, { error: '状态不正确' }).optional(),
});
export const invitationListResponse = z.object({ items: z.array(invitationView) });

export const redeemInvitationRequest = z.object({
  code: typedCodeField('邀请码'),
  displayName: personNameField,
  /**
   * The user has seen what the code changes (their role, position or unit, or that they stop acting as
   * the parent of their bound children) and agrees. Without it such a redeem is refused with
   * `INVITATION_ROLE_CHANGE`, whose `current` is the `RoleChange`.
   */
  confirmRoleChange: z.boolean({ error: '确认标记应为是或否' }).default(false),
});

/** A role, position and unit a user holds or would hold. */
export const appointmentView = z.object({
  role: z.enum(ROLES),
  position: z.enum(POSITIONS).nullable(),
  unit: unitView.nullable(),
});
export type AppointmentView = z.infer<typeof appointmentView>;

/** What redeeming a code would change for a user who already holds a role (sent with `INVITATION_ROLE_CHANGE`). */
export const roleChange = z.object({
  from: appointmentView,
  to: appointmentView,
  /** Children the user is bound to as a parent, whose pages they no longer see in another role. */
  boundChildren: z.number().int().min(0),
});
export type RoleChange = z.infer<typeof roleChange>;
