import { Body, Controller, Param, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { contract, divisionPrefix, routes } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor, SignedIn } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { requireCountyAccess } from '../../common/auth/record-policy';
import { AppError } from '../../common/errors/app-error';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { AuditService } from '../audit/audit.service';
import { DivisionImportService } from './division-import.service';
import { DivisionsService } from './divisions.service';

const upload = { field: routes.divisionsImport.fileField, ...contract.divisionsImport.file };

/** Divisions are public statistical data: any signed-in user may browse them for the pickers. */
@Controller()
export class DivisionsController {
  constructor(
    private readonly divisions: DivisionsService,
    private readonly importer: DivisionImportService,
    private readonly audit: AuditService,
  ) {}

  @Endpoint('divisionsServed')
  @SignedIn()
  async served() {
    return { items: await this.divisions.served() };
  }

  @Endpoint('divisionsSearch')
  @SignedIn()
  async search(@Query({ schema: contract.divisionsSearch.query }) query: z.output<typeof contract.divisionsSearch.query>) {
    return { items: await this.divisions.search(query) };
  }

  @Endpoint('divisionsGet')
  @SignedIn()
  get(@Param({ schema: contract.divisionsGet.params }) params: { code: string }) {
    return this.divisions.get(params.code);
  }

  @Endpoint('divisionsChildren')
  @SignedIn()
  async children(@Param({ schema: contract.divisionsChildren.params }) params: { code: string }) {
    return { items: await this.divisions.children(params.code) };
  }

  /** A county admin updates their own county's divisions (e.g. after villages merge). */
  @Endpoint('divisionsImport')
  @RolesFor('import_divisions')
  @UseInterceptors(FileInterceptor(upload.field, { limits: { fileSize: upload.maxBytes, files: 1 } }))
  async import(@CurrentCaller() caller: Caller, @UploadedFile() file: Express.Multer.File | undefined, @Body() _body: unknown) {
    const county = requireCountyAccess(caller, 'import_divisions');
    if (!file) throw AppError.invalid({ file: '请选择要上传的区划文件' });
    const result = await this.importer.importFile(file.buffer, { withinPrefix: divisionPrefix(county) });
    await this.audit.record(caller, {
      action: 'divisions.import',
      targetType: 'county',
      targetId: county,
      details: { format: result.format, rows: result.rows, created: result.created, updated: result.updated, skipped: result.skipped },
    });
    return result;
  }
}
