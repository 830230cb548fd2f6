import { pipeline } from 'node:stream/promises';
import { Controller, Param, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { contract, routes } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { Public, RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { AppError } from '../../common/errors/app-error';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { UploadsService } from './uploads.service';

const field = routes.uploadsCreate.fileField;

@Controller()
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Endpoint('uploadsCreate')
  @RolesFor('upload_tip_evidence', 'upload_deferral_document', 'upload_leave_note', 'upload_pupil_change_document')
  @UseInterceptors(FileInterceptor(field, { limits: { fileSize: contract.uploadsCreate.file.maxBytes, files: 1 } }))
  create(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.uploadsCreate.query }) query: z.output<typeof contract.uploadsCreate.query>,
    @UploadedFile() file: Express.Multer.File | undefined,
  ) {
    if (!file) throw AppError.invalid({ file: '请选择要上传的照片' });
    return this.uploads.storeImage(caller, query.purpose, file.buffer);
  }

  /** Public, but only with a valid signature from a response that was itself scoped. */
  @Endpoint('uploadsFile')
  @Public()
  async file(
    @Param({ schema: contract.uploadsFile.params }) params: { id: string },
    @Query({ schema: contract.uploadsFile.query }) query: z.output<typeof contract.uploadsFile.query>,
    @Res() response: Response,
  ) {
    const image = await this.uploads.openSigned(params.id, query.expires, query.signature);
    response.setHeader('Content-Type', 'image/jpeg');
    response.setHeader('Cache-Control', 'private, max-age=600');
    if (image.bytes !== null) response.setHeader('Content-Length', String(image.bytes));
    // a reader that goes away mid-file (or a store that fails mid-stream) ends this response only
    await pipeline(image.body, response).catch(() => undefined);
  }
}
