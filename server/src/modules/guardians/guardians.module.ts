import { Module } from '@nestjs/common';
import { DivisionsModule } from '../divisions/divisions.module';
import { BindingService } from './binding.service';
import { GuardiansController } from './guardians.controller';

@Module({
  imports: [DivisionsModule],
  controllers: [GuardiansController],
  providers: [BindingService],
})
export class GuardiansModule {}
