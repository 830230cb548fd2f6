import { Module } from '@nestjs/common';
import { DivisionsModule } from '../divisions/divisions.module';
import { SchoolsController } from './schools.controller';
import { SchoolsService } from './schools.service';

@Module({ imports: [DivisionsModule], controllers: [SchoolsController], providers: [SchoolsService], exports: [SchoolsService] })
export class SchoolsModule {}
