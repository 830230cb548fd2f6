import { Body, Controller, Param, Query, Res } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { CircularsService } from './circulars.service';

/** 通报: the county publishes a scorecard of a period; township leaders and schools read it and its PDF. */
@Controller()
export class CircularsController {
  constructor(private readonly circulars: CircularsService) {}

  @Endpoint('circularsPublish')
  @RolesFor('publish_circular')
  publish(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.circularsPublish.body }) body: z.output<typeof contract.circularsPublish.body>,
  ) {
    return this.circulars.publish(caller, body);
  }

  @Endpoint('circularsList')
  @RolesFor('publish_circular')
  list(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.circularsList.query }) query: z.output<typeof contract.circularsList.query>,
  ) {
    return this.circulars.list(caller, query);
  }

  /** Registered before `/circulars/:id` so `mine` is not read as an id. */
  @Endpoint('circularsMine')
  @RolesFor('read_circular')
  mine(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.circularsMine.query }) query: z.output<typeof contract.circularsMine.query>,
  ) {
    return this.circulars.mine(caller, query);
  }

  @Endpoint('circularsGet')
  @RolesFor('read_circular')
  get(@CurrentCaller() caller: Caller, @Param({ schema: contract.circularsGet.params }) params: { id: string }) {
    return this.circulars.get(caller, params.id);
  }

  @Endpoint('circularsPdf')
  @RolesFor('read_circular')
  async pdf(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.circularsPdf.params }) params: { id: string },
    @Res() response: Response,
  ) {
    const file = await this.circulars.pdfOf(caller, params.id);
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `inline; filename="circular.pdf"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
    response.setHeader('Cache-Control', 'no-store');
    response.end(file.content);
  }
}
