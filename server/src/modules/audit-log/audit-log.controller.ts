import { Controller, Param, Query, Res } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { AuditLogService } from './audit-log.service';

/** The audit log for the county and its townships' leaders, and a parent's view of who read their child's record. */
@Controller()
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Endpoint('auditList')
  @RolesFor('read_audit')
  list(@CurrentCaller() caller: Caller, @Query({ schema: contract.auditList.query }) query: z.output<typeof contract.auditList.query>) {
    return this.auditLog.list(caller, query);
  }

  @Endpoint('auditExport')
  @RolesFor('read_audit')
  async export(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.auditExport.query }) query: z.output<typeof contract.auditExport.query>,
    @Res() response: Response,
  ) {
    const { fileName, content } = await this.auditLog.export(caller, query);
    response.setHeader('Content-Type', contract.auditExport.binary);
    response.setHeader('Content-Disposition', `attachment; filename="audit.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    response.setHeader('Cache-Control', 'no-store');
    response.end(content);
  }

  @Endpoint('childrenAccessHistory')
  @RolesFor('read_access_history')
  accessHistory(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.childrenAccessHistory.params }) params: { id: string },
    @Query({ schema: contract.childrenAccessHistory.query }) query: z.output<typeof contract.childrenAccessHistory.query>,
  ) {
    return this.auditLog.accessHistory(caller, params.id, query);
  }
}
