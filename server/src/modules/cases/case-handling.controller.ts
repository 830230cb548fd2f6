import { Body, Controller, HttpCode, Param } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { Roles, RolesFor, SignedIn } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { CaseHandlingService } from './case-handling.service';
import { CountySettingsService } from './county-settings.service';
import { DeadlinesService } from './deadlines.service';

type Body<K extends keyof typeof contract> = (typeof contract)[K] extends { body: infer S extends z.ZodType } ? z.output<S> : never;

/** Steps of a case after acceptance, and what they involve: visits, notices, transfers, attendance. */
@Controller()
export class CaseHandlingController {
  constructor(
    private readonly handling: CaseHandlingService,
    private readonly deadlines: DeadlinesService,
    private readonly settings: CountySettingsService,
  ) {}

  @Endpoint('casesTransition')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  transition(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.casesTransition.params }) params: { id: string },
    @Body({ schema: contract.casesTransition.body }) body: Body<'casesTransition'>,
  ) {
    return this.handling.transition(caller, params.id, body);
  }

  @Endpoint('casesLogVisit')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  logVisit(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.casesLogVisit.params }) params: { id: string },
    @Body({ schema: contract.casesLogVisit.body }) body: Body<'casesLogVisit'>,
  ) {
    return this.handling.logVisit(caller, params.id, body);
  }

  @Endpoint('casesSetCauses')
  @Roles('official', 'county_admin')
  setCauses(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.casesSetCauses.params }) params: { id: string },
    @Body({ schema: contract.casesSetCauses.body }) body: Body<'casesSetCauses'>,
  ) {
    return this.handling.setCauses(caller, params.id, body.version, body.causes);
  }

  @Endpoint('casesSetAssignee')
  @Roles('official', 'county_admin')
  setAssignee(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.casesSetAssignee.params }) params: { id: string },
    @Body({ schema: contract.casesSetAssignee.body }) body: Body<'casesSetAssignee'>,
  ) {
    return this.handling.setAssignee(caller, params.id, body.version, body.assigneeId);
  }

  @Endpoint('casesConfirmEnrolment')
  @Roles('official')
  @HttpCode(200)
  confirmEnrolment(@CurrentCaller() caller: Caller, @Param({ schema: contract.casesConfirmEnrolment.params }) params: { id: string }) {
    return this.handling.confirmEnrolment(caller, params.id);
  }

  @Endpoint('casesAttendance')
  @Roles('official', 'county_admin')
  attendance(@CurrentCaller() caller: Caller, @Param({ schema: contract.casesAttendance.params }) params: { id: string }) {
    return this.handling.attendanceOf(caller, params.id);
  }

  @Endpoint('casesRecordAttendance')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  recordAttendance(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.casesRecordAttendance.params }) params: { id: string },
    @Body({ schema: contract.casesRecordAttendance.body }) body: Body<'casesRecordAttendance'>,
  ) {
    return this.handling.recordAttendance(caller, params.id, body.days);
  }

  @Endpoint('casesTransfer')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  transfer(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.casesTransfer.params }) params: { id: string },
    @Body({ schema: contract.casesTransfer.body }) body: Body<'casesTransfer'>,
  ) {
    return this.handling.transfer(caller, params.id, body);
  }

  @Endpoint('transfersIncoming')
  @Roles('official')
  incoming(@CurrentCaller() caller: Caller) {
    return this.handling.incomingTransfers(caller);
  }

  @Endpoint('transfersAccept')
  @Roles('official')
  @HttpCode(200)
  acceptTransfer(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.transfersAccept.params }) params: { id: string },
    @Body({ schema: contract.transfersAccept.body }) _body: Body<'transfersAccept'>,
  ) {
    return this.handling.acceptTransfer(caller, params.id);
  }

  @Endpoint('transfersReject')
  @Roles('official')
  @HttpCode(200)
  rejectTransfer(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.transfersReject.params }) params: { id: string },
    @Body({ schema: contract.transfersReject.body }) body: Body<'transfersReject'>,
  ) {
    return this.handling.rejectTransfer(caller, params.id, body.note);
  }

  @Endpoint('noticesPaperDelivery')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  paperDelivery(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.noticesPaperDelivery.params }) params: { id: string },
    @Body({ schema: contract.noticesPaperDelivery.body }) body: Body<'noticesPaperDelivery'>,
  ) {
    return this.handling.paperDelivery(caller, params.id, body);
  }

  /** Anyone may be a guardian; only notices about children bound to the caller are returned. */
  @Endpoint('noticesMine')
  @SignedIn()
  myNotices(@CurrentCaller() caller: Caller) {
    return this.handling.myNotices(caller);
  }

  @Endpoint('noticesAcknowledge')
  @SignedIn()
  @HttpCode(200)
  acknowledge(@CurrentCaller() caller: Caller, @Param({ schema: contract.noticesAcknowledge.params }) params: { id: string }) {
    return this.handling.acknowledgeNotice(caller, params.id);
  }

  @Endpoint('rechecksComplete')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  recheck(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.rechecksComplete.params }) params: { id: string },
    @Body({ schema: contract.rechecksComplete.body }) body: Body<'rechecksComplete'>,
  ) {
    return this.handling.completeRecheck(caller, params.id, body.result);
  }

  @Endpoint('dispatchList')
  @RolesFor('read_dispatch')
  dispatch(@CurrentCaller() caller: Caller) {
    return this.deadlines.dispatch(caller);
  }

  @Endpoint('countySettingsGet')
  @Roles('official', 'county_admin')
  getSettings(@CurrentCaller() caller: Caller) {
    return this.settings.get(caller);
  }

  @Endpoint('countySettingsUpdate')
  @Roles('county_admin')
  updateSettings(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.countySettingsUpdate.body }) body: Body<'countySettingsUpdate'>,
  ) {
    return this.settings.update(caller, body);
  }
}
