import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { ChildRecordMoves } from '../children/child-record-moves';
import { ChildrenModule } from '../children/children.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { BindingService } from './binding.service';
import { GuardiansController } from './guardians.controller';
import { BindingChildLinks } from './binding-child-links';

@Module({
  imports: [AccountsModule, AuditModule, ChildrenModule, DivisionsModule],
  controllers: [GuardiansController],
  providers: [BindingService, BindingChildLinks],
})
export class GuardiansModule implements OnModuleInit {
  constructor(
    private readonly childMoves: ChildRecordMoves,
    private readonly childLinks: BindingChildLinks,
  ) {}

  /** Child merges move this module's rows of a child through BindingChildLinks. */
  onModuleInit(): void {
    this.childMoves.register(this.childLinks);
  }
}
