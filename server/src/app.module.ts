import { type DynamicModule, Module, StandardSchemaValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config.schema';
import { AuthGuard } from './common/auth/auth.guard';
import { CoreModule } from './common/core.module';
import type { FileStore } from './common/files/file-store';
import { ErrorFilter } from './common/errors/error.filter';
import { validationError } from './common/errors/validation-issues';
import { ResponseContractInterceptor } from './common/http/response-contract.interceptor';
import { RouteRegistry } from './common/http/route-registry';
import { openDatabase } from './database/data-source';
import { SchemaBehindError } from './database/schema-migrations';
import { DemoSeeder } from './database/seed/demo-seed';
import { AccountsModule } from './modules/accounts/accounts.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuditLogModule } from './modules/audit-log/audit-log.module';
import { AuthModule } from './modules/auth/auth.module';
import { CasesModule } from './modules/cases/cases.module';
import { DashboardModule } from './modules/dashboard/dashboard.module';
import { DivisionsModule } from './modules/divisions/divisions.module';
import { EnrolmentModule } from './modules/enrolment/enrolment.module';
import { GuardiansModule } from './modules/guardians/guardians.module';
import { HealthModule } from './modules/health/health.module';
import { InvitationsModule } from './modules/invitations/invitations.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { PupilChangesModule } from './modules/pupil-changes/pupil-changes.module';
import { RegistryModule } from './modules/registry/registry.module';
import { SchoolCalendarModule } from './modules/school-calendar/school-calendar.module';
import { LeaveModule } from './modules/school-line/leave.module';
import { SchoolLineModule } from './modules/school-line/school-line.module';
import { SchoolNoticesModule } from './modules/school-notices/school-notices.module';
import { SchoolsModule } from './modules/schools/schools.module';
import { ScorecardsModule } from './modules/scorecards/scorecards.module';
import { DataQualityModule } from './modules/data-quality/data-quality.module';
import { CircularsModule } from './modules/circulars/circulars.module';
import { SpotChecksModule } from './modules/spot-checks/spot-checks.module';
import { ReportsModule } from './modules/reports/reports.module';
import { SubsidiesModule } from './modules/subsidies/subsidies.module';
import { TipsModule } from './modules/tips/tips.module';
import { UploadsModule } from './modules/uploads/uploads.module';
import { WechatModule } from './modules/wechat/wechat.module';

@Module({})
export class AppModule {
  static register(config: AppConfig, logger: Logger, files: FileStore): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config, logger, files),
        TypeOrmModule.forRootAsync({
          // One process migrates before it accepts requests; an instance of a cluster only checks the schema
          // (`cli migrate` is the deploy step). A database that is not up yet is retried in production; a
          // schema that is behind is not: it stays behind until someone migrates.
          useFactory: () => ({
            retryAttempts: config.mode === 'production' ? 10 : 0,
            retryDelay: 3000,
            toRetry: (error: unknown) => !(error instanceof SchemaBehindError),
          }),
          dataSourceFactory: () => openDatabase(config.database, config.deployment === 'cluster' ? 'check' : 'migrate'),
        }),
        DiscoveryModule,
        AuditModule,
        WechatModule,
        DivisionsModule,
        SchoolsModule,
        AccountsModule,
        AuthModule.register({ devLogin: config.auth.devLogin }),
        InvitationsModule,
        NotificationsModule,
        UploadsModule,
        CasesModule,
        TipsModule,
        RegistryModule,
        DashboardModule,
        ScorecardsModule,
        DataQualityModule,
        CircularsModule,
        SpotChecksModule,
        ReportsModule,
        GuardiansModule,
        EnrolmentModule,
        PupilChangesModule,
        SchoolCalendarModule,
        LeaveModule,
        SchoolLineModule,
        SchoolNoticesModule,
        SubsidiesModule,
        AuditLogModule,
        HealthModule,
      ],
      providers: [
        RouteRegistry,
        DemoSeeder,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useValue: new StandardSchemaValidationPipe({ exceptionFactory: validationError }) },
        { provide: APP_FILTER, useValue: new ErrorFilter(logger) },
        ...(config.validateResponses ? [{ provide: APP_INTERCEPTOR, useClass: ResponseContractInterceptor }] : []),
      ],
    };
  }
}
