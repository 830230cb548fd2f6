import { Controller } from '@nestjs/common';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { DashboardService } from './dashboard.service';

@Controller()
export class DashboardController {
  constructor(private readonly dashboards: DashboardService) {}

  @Endpoint('dashboard')
  @RolesFor('read_dashboard')
  dashboard(@CurrentCaller() caller: Caller) {
    return this.dashboards.dashboard(caller);
  }
}
