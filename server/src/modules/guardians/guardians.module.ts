import { Module } from '@nestjs/common';
import { ChildrenModule } from '../children/children.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { BindingService } from './binding.service';
import { GuardiansController } from './guardians.controller';

@Module({
  imports: [ChildrenModule, DivisionsModule],
  controllers: [GuardiansController],
  providers: [BindingService],
})
export class GuardiansModule {}
