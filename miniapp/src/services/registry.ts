import { REGISTRY_KINDS } from '@baoxue/shared';
import type { RegistryKind, RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { downloadFile } from './download';
import { call, upload, type UploadInput } from './request';

export type RegistryImport = ResponseOf<'registryImportGet'>;
export type CrosscheckRun = ResponseOf<'crosscheckRunGet'>;
export type ReviewPair = ResponseOf<'crosscheckDecide'>;
export type DropoutStats = ResponseOf<'statsDropout'>;
export type StatsQuery = RequestQuery<'statsDropout'>;
export type CohortIntake = ResponseOf<'statsIntakeSet'>;

/** Registries (户籍, 学籍, 缺勤, 困难家庭) and what the county does with them: 四查三比对 and dropout statistics. */
export const registryApi = {
  downloadTemplate: (kind: RegistryKind) =>
    downloadFile('registryTemplate', { params: { kind }, fileName: `${REGISTRY_KINDS[kind]}导入模板.xlsx` }),
  importFile: (kind: RegistryKind, file: UploadInput) => upload('registryImport', file, { kind }),
  imports: (query: RequestQuery<'registryImports'>) => call('registryImports', { query }),
  importGet: (id: string) => call('registryImportGet', { params: { id } }),

  startCrosscheck: (schoolYear: number) => call('crosscheckStart', { body: { schoolYear } }),
  runs: () => call('crosscheckRuns'),
  run: (id: string) => call('crosscheckRunGet', { params: { id } }),
  reviews: (query: RequestQuery<'crosscheckReviews'>) => call('crosscheckReviews', { query }),
  decide: (id: string, decision: 'same' | 'different') => call('crosscheckDecide', { params: { id }, body: { decision } }),

  dropout: (query: StatsQuery) => call('statsDropout', { query }),
  exportDropout: (query: StatsQuery) => downloadFile('statsExport', { query, fileName: `辍学率统计-${String(query.schoolYear)}学年.xlsx` }),
  /** The county's grade-1 intakes of earlier years (for 巩固率), and entering or correcting one year's. */
  intakes: () => call('statsIntakes'),
  setIntake: (entryYear: number, body: RequestBody<'statsIntakeSet'>) =>
    call('statsIntakeSet', { params: { entryYear: String(entryYear) }, body }),
};
