import { Module } from '@nestjs/common';
import { AuditRecords } from './audit-records';
import { AuditService } from './audit.service';

@Module({ providers: [AuditService, AuditRecords], exports: [AuditService, AuditRecords] })
export class AuditModule {}
