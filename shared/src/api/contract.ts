import type { z } from 'zod';
import * as accounts from './schemas/accounts';
import * as auth from './schemas/auth';
import * as common from './schemas/common';
import * as divisions from './schemas/divisions';
import * as health from './schemas/health';
import * as invitations from './schemas/invitations';
import * as schools from './schemas/schools';
import type { RouteKey } from './routes';

export interface RouteSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Multipart uploads: the file's limits (its form field is `fileField` in the route table). */
  file?: { maxBytes: number; description: string };
  response: z.ZodType;
}

const MB = 1024 * 1024;

export const contract = {
  health: { response: health.healthResponse },

  authOptions: { response: auth.authOptionsResponse },
  authWechatLogin: { body: auth.wechatLoginRequest, response: auth.sessionResponse },
  authDevLogin: { body: auth.devLoginRequest, response: auth.sessionResponse },
  authLogout: { response: common.okResponse },
  authDesktopCode: { response: auth.desktopCodeResponse },
  authDesktopLogin: { body: auth.desktopLoginRequest, response: auth.sessionResponse },

  me: { response: auth.meResponse },
  meUpdateProfile: { body: auth.updateProfileRequest, response: auth.meResponse },
  mePrivacyConsent: { body: auth.privacyConsentRequest, response: auth.meResponse },

  invitationsCreate: { body: invitations.createInvitationRequest, response: invitations.createdInvitationResponse },
  invitationsList: { query: invitations.listInvitationsQuery, response: invitations.invitationListResponse },
  invitationsRevoke: { params: common.idParam, response: invitations.invitationView },
  invitationsRedeem: { body: invitations.redeemInvitationRequest, response: auth.meResponse },

  divisionsServed: { response: divisions.divisionListResponse },
  divisionsSearch: { query: divisions.searchDivisionsQuery, response: divisions.divisionListResponse },
  divisionsGet: { params: divisions.divisionCodeParam, response: divisions.divisionView },
  divisionsChildren: { params: divisions.divisionCodeParam, response: divisions.divisionListResponse },
  divisionsImport: {
    // Checked by content, not by the declared type: WeChat uploads everything as octet-stream.
    file: { maxBytes: 20 * MB, description: 'CSV 文件（UTF-8 或 GB18030）' },
    response: divisions.divisionImportResponse,
  },

  schoolsList: { query: schools.listSchoolsQuery, response: schools.schoolPageResponse },
  schoolsGet: { params: common.idParam, response: schools.schoolView },
  schoolsCreate: { body: schools.createSchoolRequest, response: schools.schoolView },
  schoolsUpdate: { params: common.idParam, body: schools.updateSchoolRequest, response: schools.schoolView },

  accountsList: { query: accounts.listAccountsQuery, response: accounts.accountPageResponse },
  accountsUpdate: { params: common.idParam, body: accounts.updateAccountRequest, response: accounts.accountView },
} as const satisfies Record<RouteKey, RouteSchemas>;

type Schemas<K extends RouteKey> = (typeof contract)[K];
type Field<K extends RouteKey, F extends string> = Schemas<K> extends Record<F, infer S extends z.ZodType> ? S : never;

/** What a client sends (before the schema's defaults and normalisation). */
export type RequestBody<K extends RouteKey> = z.input<Field<K, 'body'>>;
export type RequestQuery<K extends RouteKey> = z.input<Field<K, 'query'>>;
export type RequestParams<K extends RouteKey> = z.input<Field<K, 'params'>>;
/** What the server answers with. */
export type ResponseOf<K extends RouteKey> = z.output<Schemas<K>['response']>;
