import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { UploadsModule } from '../uploads/uploads.module';
import { TipsController } from './tips.controller';
import { TipsService } from './tips.service';

@Module({ imports: [CasesModule, DivisionsModule, UploadsModule], controllers: [TipsController], providers: [TipsService] })
export class TipsModule {}
