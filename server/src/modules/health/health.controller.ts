import { Controller, Inject, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { HealthResponse } from '@baoxue/shared';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { Public } from '../../common/auth/access.decorator';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { APP_VERSION } from '../../common/version';

const PROBE_TIMEOUT_MS = 2000;

@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 200 when the database answers, 503 (same body shape) when it does not. */
  @Endpoint('health')
  @Public()
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const up = await this.probe();
    if (!up) response.status(503);
    return {
      status: up ? 'ok' : 'degraded',
      database: { status: up ? 'up' : 'down', kind: this.config.database.kind },
      version: APP_VERSION,
      mode: this.config.mode,
      time: new Date().toISOString(),
    };
  }

  private async probe(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS)));
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
