import { Controller, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { DataQualityService } from './data-quality.service';

/** 数据质量: the county's (or a township's) records that look fabricated or impossible, by rule. */
@Controller()
export class DataQualityController {
  constructor(private readonly dataQuality: DataQualityService) {}

  @Endpoint('dataQuality')
  @RolesFor('read_data_quality')
  flags(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.dataQuality.query }) query: z.output<typeof contract.dataQuality.query>,
  ) {
    return this.dataQuality.flags(caller, query);
  }
}
