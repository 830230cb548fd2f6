import type { ImportView, RegistryKind } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { RegistryImportService } from '../../server/src/modules/registry/registry-import.service';
import type { ApiClient } from './api';
import type { TestServer } from './server';

/** A real .xlsx workbook: a header and rows, every cell text (as officials should save IDs). */
export async function xlsx(header: string[], rows: Array<Array<string | number | Date>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function csv(header: string[], rows: string[][]): Buffer {
  return Buffer.from([header, ...rows].map((r) => r.join(',')).join('\r\n'));
}

/** Uploads a registry file and waits for the import to finish; returns its final state. */
export async function importRegistry(
  server: TestServer,
  client: ApiClient,
  kind: RegistryKind,
  content: Buffer,
  fileName = `${kind}.xlsx`,
): Promise<ImportView> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), fileName);
  const started = await client.post<ImportView>(`/registry/imports?kind=${kind}`, form);
  if (started.status !== 201) throw new Error(`import did not start: ${started.status} ${JSON.stringify(started.body)}`);
  await server.app.get(RegistryImportService).settled(started.body.id);
  return (await client.get<ImportView>(`/registry/imports/${started.body.id}`)).body;
}

export const ROSTER_HEADER = [
  '学籍号',
  '姓名',
  '性别',
  '身份证号',
  '学校',
  '年级',
  '班级',
  '是否寄宿',
  '村区划代码',
  '监护人姓名',
  '监护人关系',
  '监护人电话',
];
export const HOUSEHOLD_HEADER = ['身份证号', '姓名', '村区划代码', '监护人姓名', '监护人电话'];
export const ABSENCE_HEADER = ['学籍号', '日期', '是否请假'];
export const POVERTY_HEADER = ['身份证号', '姓名', '类别', '村区划代码'];
