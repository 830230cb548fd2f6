import { Body, Controller, HttpCode, Param, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { ChildReviewsService } from './child-reviews.service';

/** Records that may be one child, merges and splits (BRIEF §3a); the service decides who in which part of the county. */
@Controller()
export class ChildrenController {
  constructor(private readonly reviews: ChildReviewsService) {}

  @Endpoint('childrenReviews')
  @RolesFor('review_children')
  list(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.childrenReviews.query }) query: z.output<typeof contract.childrenReviews.query>,
  ) {
    return this.reviews.list(caller, query);
  }

  @Endpoint('childrenReviewDecide')
  @RolesFor('review_children')
  @HttpCode(200)
  decide(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.childrenReviewDecide.params }) params: { id: string },
    @Body({ schema: contract.childrenReviewDecide.body }) body: z.output<typeof contract.childrenReviewDecide.body>,
  ) {
    return this.reviews.decide(caller, params.id, body);
  }

  @Endpoint('childrenMerge')
  @RolesFor('review_children')
  merge(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.childrenMerge.body }) body: z.output<typeof contract.childrenMerge.body>,
  ) {
    return this.reviews.merge(caller, body);
  }

  @Endpoint('childrenSplit')
  @RolesFor('review_children')
  @HttpCode(200)
  split(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.childrenSplit.params }) params: { id: string },
    @Body({ schema: contract.childrenSplit.body }) body: z.output<typeof contract.childrenSplit.body>,
  ) {
    return this.reviews.split(caller, params.id, body.reason);
  }

  @Endpoint('childrenMerges')
  @RolesFor('review_children')
  history(@CurrentCaller() caller: Caller, @Param({ schema: contract.childrenMerges.params }) params: { id: string }) {
    return this.reviews.history(caller, params.id);
  }
}
