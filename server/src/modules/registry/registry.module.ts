import { Module } from '@nestjs/common';
import { RegistryController } from './registry.controller';
import { RegistryImportService } from './registry-import.service';

@Module({ controllers: [RegistryController], providers: [RegistryImportService], exports: [RegistryImportService] })
export class RegistryModule {}
