import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { SchoolsModule } from '../schools/schools.module';
import { SpotChecksModule } from '../spot-checks/spot-checks.module';
import { ScorecardsController } from './scorecards.controller';
import { ScorecardsService } from './scorecards.service';

/** Scorecards (考核排名, BRIEF §5a): counts of the cases module, per unit of the divisions and schools modules. */
@Module({
  imports: [CasesModule, DivisionsModule, SchoolsModule, SpotChecksModule],
  controllers: [ScorecardsController],
  providers: [ScorecardsService],
  exports: [ScorecardsService],
})
export class ScorecardsModule {}
