import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DIVISION_LEVELS, type ApiRowError, type DivisionImportResponse, type DivisionLevel } from '@baoxue/shared';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { bumpCacheVersion } from '../../common/cache/cache-versions';
import { AppError } from '../../common/errors/app-error';
import { UnreadableFileError, type SheetSource } from '../../common/sheets/sheet-reader';
import { Division } from './division.entity';
import { DIVISIONS_CACHE, DivisionsService } from './divisions.service';
import { DivisionFileError, parseDivisionFile, type DivisionRow, type ParsedDivisionFile } from './division-file';
import { snapshotTransaction } from '../../database/transaction';

const WRITE_CHUNK = 500;
const LOOKUP_CHUNK = 2000;
const MAX_REPORTED_ERRORS = 200;

export interface ImportOptions {
  /** Only rows inside this prefix are accepted (a county admin imports their own county). */
  withinPrefix?: string;
}

/**
 * Imports a division file all or nothing: every row is validated first, then the whole file is
 * written in one transaction. Rows already present are updated (renamed villages), never deleted.
 */
@Injectable()
export class DivisionImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** Its cached names are dropped at once after an import (absent in the CLI); other instances follow the cache version. */
    @Optional() private readonly divisions?: DivisionsService,
  ) {}

  /** Imports a division file: a path (the CLI streams national files from disk) or an upload's bytes. */
  async importFile(source: SheetSource, options: ImportOptions = {}): Promise<DivisionImportResponse> {
    let parsed: ParsedDivisionFile;
    try {
      parsed = await parseDivisionFile(source, MAX_REPORTED_ERRORS);
    } catch (error) {
      if (error instanceof DivisionFileError) throw new AppError('FILE_INVALID', undefined, {}, error.rows);
      if (error instanceof UnreadableFileError) throw new AppError('UNSUPPORTED_FILE', error.message, { file: '文件无法读取' });
      throw error;
    }
    try {
      return await this.write(parsed, options);
    } finally {
      this.divisions?.forget();
    }
  }

  private async write(parsed: ParsedDivisionFile, options: ImportOptions): Promise<DivisionImportResponse> {
    const { format, rows } = parsed;
    return snapshotTransaction(this.dataSource, async (manager) => {
      const existing = await this.existingCodes(manager, [
        ...new Set(rows.flatMap((r) => (r.parentCode ? [r.code, r.parentCode] : [r.code]))),
      ]);
      const errors = [...parsed.errors, ...this.crossCheck(rows, existing, options)].sort((a, b) => a.line - b.line);
      if (errors.length) throw new AppError('FILE_INVALID', undefined, {}, errors.slice(0, MAX_REPORTED_ERRORS));
      for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
        const chunk = rows.slice(i, i + WRITE_CHUNK).map(({ code, name, level, parentCode }) => ({ code, name, level, parentCode }));
        await manager
          .createQueryBuilder()
          .insert()
          .into(Division)
          .values(chunk)
          .orUpdate(['name', 'level', 'parent_code'], ['code'])
          .execute();
      }
      // every instance's cached names (this one's, another server's, the CLI's import seen by a running server)
      await bumpCacheVersion(manager, DIVISIONS_CACHE);
      const byLevel = Object.fromEntries(DIVISION_LEVELS.map((l) => [l, 0])) as Record<DivisionLevel, number>;
      for (const row of rows) byLevel[row.level]++;
      const updated = rows.filter((r) => existing.has(r.code)).length;
      return { format, rows: rows.length, created: rows.length - updated, updated, skipped: parsed.skipped, byLevel };
    });
  }

  /** Duplicates, parents that exist neither in the file nor in the database, and scope. */
  private crossCheck(rows: DivisionRow[], existing: Set<string>, options: ImportOptions): ApiRowError[] {
    const errors: ApiRowError[] = [];
    const inFile = new Map<string, number>();
    for (const row of rows) {
      const first = inFile.get(row.code);
      if (first !== undefined) errors.push({ line: row.line, column: 'code', message: `区划代码 ${row.code} 与第${first}行重复` });
      else inFile.set(row.code, row.line);
    }
    for (const row of rows) {
      if (options.withinPrefix && !row.code.startsWith(options.withinPrefix)) {
        errors.push({ line: row.line, column: 'code', message: `区划代码 ${row.code} 不在本县范围内` });
        continue;
      }
      // Above township level the enclosing divisions are not needed by the product.
      const needsParent = row.level === 'township' || row.level === 'village';
      if (needsParent && row.parentCode && !inFile.has(row.parentCode) && !existing.has(row.parentCode)) {
        errors.push({ line: row.line, column: 'parent_code', message: `上级区划 ${row.parentCode} 不存在，请先导入上级区划` });
      }
    }
    return errors;
  }

  private async existingCodes(manager: EntityManager, codes: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < codes.length; i += LOOKUP_CHUNK) {
      const rows = await manager.find(Division, { where: { code: In(codes.slice(i, i + LOOKUP_CHUNK)) }, select: { code: true } });
      for (const row of rows) found.add(row.code);
    }
    return found;
  }
}
