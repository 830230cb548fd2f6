import { Module } from '@nestjs/common';
import { SchoolNoticesController } from './school-notices.controller';
import { SchoolNoticesService } from './school-notices.service';

@Module({ controllers: [SchoolNoticesController], providers: [SchoolNoticesService] })
export class SchoolNoticesModule {}
