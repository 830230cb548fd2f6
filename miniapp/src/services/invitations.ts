import type { InvitationStatus, Me, RequestBody, ResponseOf } from '@baoxue/shared';
import { updateUser } from '../stores/session';
import { call } from './request';

export type CreatedInvitation = ResponseOf<'invitationsCreate'>;

export const invitationsApi = {
  list: (status?: InvitationStatus) => call('invitationsList', { query: { status } }),
  create: (body: RequestBody<'invitationsCreate'>) => call('invitationsCreate', { body }),
  revoke: (id: string) => call('invitationsRevoke', { params: { id } }),
};

/** Redeeming a code changes who the user is, so the session learns it at once. */
export async function redeemInvitation(body: RequestBody<'invitationsRedeem'>): Promise<Me> {
  const user = await call('invitationsRedeem', { body });
  updateUser(user);
  return user;
}
