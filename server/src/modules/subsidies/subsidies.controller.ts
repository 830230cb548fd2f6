import { Body, Controller, HttpCode, Param, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { contract, routes } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { Roles, RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { AppError } from '../../common/errors/app-error';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { ChildSubsidiesService } from './child-subsidies.service';
import { ComplaintsService } from './complaints.service';
import { EligibilityService } from './eligibility.service';
import { PaymentsService } from './payments.service';
import { SubsidyPoliciesService } from './subsidy-policies.service';

type Body<K extends keyof typeof contract> = (typeof contract)[K] extends { body: infer S extends z.ZodType } ? z.output<S> : never;
type Query<K extends keyof typeof contract> = (typeof contract)[K] extends { query: infer S extends z.ZodType } ? z.output<S> : never;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendFile(response: Response, file: { fileName: string; content: Buffer }): void {
  response.setHeader('Content-Type', XLSX);
  response.setHeader('Content-Disposition', `attachment; filename="template.xlsx"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
  response.setHeader('Cache-Control', 'no-store');
  response.end(file.content);
}

const eligibilityUpload = FileInterceptor(routes.eligibilityImport.fileField, {
  limits: { fileSize: contract.eligibilityImport.file.maxBytes, files: 1 },
});
const paymentsUpload = FileInterceptor(routes.paymentsImport.fileField, {
  limits: { fileSize: contract.paymentsImport.file.maxBytes, files: 1 },
});

/** Student aid 资助: rates, eligibility, payments, a child's record, and complaints. */
@Controller()
export class SubsidiesController {
  constructor(
    private readonly policies: SubsidyPoliciesService,
    private readonly eligibility: EligibilityService,
    private readonly payments: PaymentsService,
    private readonly records: ChildSubsidiesService,
    private readonly complaints: ComplaintsService,
  ) {}

  @Endpoint('childrenSubsidies')
  @RolesFor('read_child')
  childRecord(@CurrentCaller() caller: Caller, @Param({ schema: contract.childrenSubsidies.params }) params: { id: string }) {
    return this.records.record(caller, params.id);
  }

  @Endpoint('subsidyPolicies')
  @Roles('official', 'county_admin')
  listPolicies(@CurrentCaller() caller: Caller) {
    return this.policies.list(caller);
  }

  @Endpoint('subsidyPoliciesCreate')
  @RolesFor('manage_subsidy_policies')
  createPolicy(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.subsidyPoliciesCreate.body }) body: Body<'subsidyPoliciesCreate'>,
  ) {
    return this.policies.create(caller, body);
  }

  @Endpoint('subsidyPoliciesEnd')
  @RolesFor('manage_subsidy_policies')
  @HttpCode(200)
  endPolicy(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.subsidyPoliciesEnd.params }) params: { id: string },
    @Body({ schema: contract.subsidyPoliciesEnd.body }) body: Body<'subsidyPoliciesEnd'>,
  ) {
    return this.policies.end(caller, params.id, body.effectiveTo);
  }

  @Endpoint('eligibilityList')
  @RolesFor('read_eligibility')
  listEligibility(@CurrentCaller() caller: Caller, @Query({ schema: contract.eligibilityList.query }) query: Query<'eligibilityList'>) {
    return this.eligibility.list(caller, query);
  }

  @Endpoint('eligibilitySet')
  @RolesFor('manage_eligibility')
  setEligibility(@CurrentCaller() caller: Caller, @Body({ schema: contract.eligibilitySet.body }) body: Body<'eligibilitySet'>) {
    return this.eligibility.set(caller, body);
  }

  @Endpoint('eligibilityRevoke')
  @RolesFor('manage_eligibility')
  @HttpCode(200)
  revokeEligibility(@CurrentCaller() caller: Caller, @Param({ schema: contract.eligibilityRevoke.params }) params: { id: string }) {
    return this.eligibility.revoke(caller, params.id);
  }

  @Endpoint('eligibilityTemplate')
  @RolesFor('manage_eligibility')
  async eligibilityTemplate(@Res() response: Response) {
    sendFile(response, await this.eligibility.template());
  }

  @Endpoint('eligibilityImport')
  @RolesFor('manage_eligibility')
  @HttpCode(200)
  @UseInterceptors(eligibilityUpload)
  importEligibility(@CurrentCaller() caller: Caller, @UploadedFile() file: Express.Multer.File | undefined, @Body() _body: unknown) {
    if (!file) throw AppError.invalid({ file: '请选择要导入的 Excel 文件' });
    return this.eligibility.import(caller, file.buffer);
  }

  @Endpoint('paymentsList')
  @RolesFor('read_payment')
  listPayments(@CurrentCaller() caller: Caller, @Query({ schema: contract.paymentsList.query }) query: Query<'paymentsList'>) {
    return this.payments.list(caller, query);
  }

  @Endpoint('paymentsTemplate')
  @RolesFor('import_payments')
  async paymentsTemplate(@Res() response: Response) {
    sendFile(response, await this.payments.template());
  }

  @Endpoint('paymentsImport')
  @RolesFor('import_payments')
  @HttpCode(200)
  @UseInterceptors(paymentsUpload)
  importPayments(@CurrentCaller() caller: Caller, @UploadedFile() file: Express.Multer.File | undefined, @Body() _body: unknown) {
    if (!file) throw AppError.invalid({ file: '请选择要导入的 Excel 文件' });
    return this.payments.import(caller, file.buffer);
  }

  @Endpoint('complaintsCreate')
  @Roles('parent')
  createComplaint(@CurrentCaller() caller: Caller, @Body({ schema: contract.complaintsCreate.body }) body: Body<'complaintsCreate'>) {
    return this.complaints.create(caller, body);
  }

  /** Registered before `/subsidies/complaints/:id` so `mine` is not read as an id. */
  @Endpoint('complaintsMine')
  @Roles('parent')
  myComplaints(@CurrentCaller() caller: Caller) {
    return this.complaints.mine(caller);
  }

  @Endpoint('complaintsList')
  @Roles('county_admin')
  listComplaints(@CurrentCaller() caller: Caller, @Query({ schema: contract.complaintsList.query }) query: Query<'complaintsList'>) {
    return this.complaints.list(caller, query);
  }

  @Endpoint('complaintsGet')
  @RolesFor('read_complaint')
  getComplaint(@CurrentCaller() caller: Caller, @Param({ schema: contract.complaintsGet.params }) params: { id: string }) {
    return this.complaints.get(caller, params.id);
  }

  @Endpoint('complaintsTransition')
  @RolesFor('accept_complaint', 'answer_complaint', 'reopen_complaint', 'close_complaint')
  @HttpCode(200)
  transitionComplaint(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.complaintsTransition.params }) params: { id: string },
    @Body({ schema: contract.complaintsTransition.body }) body: Body<'complaintsTransition'>,
  ) {
    return this.complaints.transition(caller, params.id, body);
  }
}
