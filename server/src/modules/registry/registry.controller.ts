import { tmpdir } from 'node:os';
import { Controller, Param, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { contract, routes } from '@baoxue/shared';
import type { Response } from 'express';
import { diskStorage } from 'multer';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { AppError } from '../../common/errors/app-error';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { RegistryImportService } from './registry-import.service';
import { registryTemplate } from './registry-formats';

/** Large registries are written to a temporary file and streamed from there, never held in memory. */
const upload = FileInterceptor(routes.registryImport.fileField, {
  storage: diskStorage({ destination: tmpdir() }),
  limits: { fileSize: contract.registryImport.file.maxBytes, files: 1 },
});

@Controller()
export class RegistryController {
  constructor(private readonly imports: RegistryImportService) {}

  @Endpoint('registryTemplate')
  @RolesFor('import_registry')
  async template(
    @Param({ schema: contract.registryTemplate.params }) params: z.output<typeof contract.registryTemplate.params>,
    @Res() response: Response,
  ) {
    const { fileName, content } = await registryTemplate(params.kind);
    response.setHeader('Content-Type', contract.registryTemplate.binary);
    response.setHeader('Content-Disposition', `attachment; filename="template.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    response.end(content);
  }

  @Endpoint('registryImport')
  @RolesFor('import_registry')
  @UseInterceptors(upload)
  start(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.registryImport.query }) query: z.output<typeof contract.registryImport.query>,
    @UploadedFile() file: Express.Multer.File | undefined,
  ) {
    if (!file) throw AppError.invalid({ file: '请选择要导入的文件' });
    return this.imports.start(caller, query.kind, file);
  }

  @Endpoint('registryImports')
  @RolesFor('import_registry')
  list(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.registryImports.query }) query: z.output<typeof contract.registryImports.query>,
  ) {
    return this.imports.list(caller, query);
  }

  @Endpoint('registryImportGet')
  @RolesFor('import_registry')
  get(@CurrentCaller() caller: Caller, @Param({ schema: contract.registryImportGet.params }) params: { id: string }) {
    return this.imports.view(caller, params.id);
  }
}
