import { spawnSync } from 'node:child_process';
import { idNumberCheckCharacter, normalizePersonName } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import { newId, newReadableCode } from '../../server/src/common/ids';
import { User } from '../../server/src/modules/accounts/user.entity';
import { ChildGuardian } from '../../server/src/modules/children/child-guardian.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { School } from '../../server/src/modules/schools/school.entity';

export const DEMO_COUNTY = '411522000000';
export const DEMO_SCHOOL = '光山县十里镇中心小学';
export const DEMO_JUNIOR = '光山县十里镇初级中学';

export interface PupilSpec {
  name: string;
  sex?: 'male' | 'female';
  schoolId?: string | null;
  grade?: number | null;
  className?: string | null;
  boarding?: boolean | null;
  villageCode?: string | null;
  countyCode?: string | null;
  birthDate?: string;
  idNumber?: string | null;
  studentNumber?: string | null;
  bindingCode?: string | null;
  guardian?: { name: string; relation: string; phone: string | null } | null;
}

let serial = 0;

/** A valid ID number for a birth date (area 411522, a fresh sequence per call). */
export function idNumberFor(birthDate: string, male = true): string {
  serial = (serial + 1) % 499;
  const sequence = String(serial * 2 + (male ? 1 : 0)).padStart(3, '0');
  const first17 = `411522${birthDate.replace(/-/g, '')}${sequence}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** A child on the school roster, as the registry import leaves it: 学籍号, school, grade, class, binding code, roster guardian. */
export async function createPupil(dataSource: DataSource, spec: PupilSpec): Promise<Child> {
  const birthDate = spec.birthDate ?? '2015-03-15';
  const idNumber = spec.idNumber === undefined ? idNumberFor(birthDate, spec.sex !== 'female') : spec.idNumber;
  const now = new Date();
  const child: Child = {
    id: newId(),
    name: spec.name,
    nameKey: normalizePersonName(spec.name),
    sex: spec.sex ?? 'male',
    birthYear: Number(birthDate.slice(0, 4)),
    birthYearExact: true,
    idNumber,
    villageCode: spec.villageCode === undefined ? '411522101203' : spec.villageCode,
    schoolId: spec.schoolId ?? null,
    grade: spec.grade === undefined ? 3 : spec.grade,
    priorityGroups: [],
    studentNumber: spec.studentNumber === undefined ? (idNumber ? `G${idNumber}` : null) : spec.studentNumber,
    birthDate,
    className: spec.className ?? null,
    boarding: spec.boarding ?? false,
    bindingCode: spec.bindingCode === undefined ? newReadableCode(8) : spec.bindingCode,
    countyCode: spec.countyCode === undefined ? DEMO_COUNTY : spec.countyCode,
    mergedIntoId: null,
    createdAt: now,
    updatedAt: now,
  };
  await dataSource.manager.insert(Child, child);
  if (spec.guardian !== null)
    await dataSource.manager.insert(ChildGuardian, {
      id: newId(),
      childId: child.id,
      name: spec.guardian?.name ?? `${spec.name.slice(0, 1)}大军`,
      relation: spec.guardian?.relation ?? '父亲',
      phone: spec.guardian?.phone ?? '13800001234',
      createdAt: now,
    });
  return child;
}

export async function schoolByName(dataSource: DataSource, name: string): Promise<School> {
  return dataSource.manager.findOneByOrFail(School, { name });
}

export async function demoUser(dataSource: DataSource, account: string): Promise<User> {
  return dataSource.manager.findOneByOrFail(User, { demoAccount: account });
}

/** A real .xlsx workbook with a header and rows, every cell text. */
export async function workbook(header: string[], rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet1');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export function fileForm(content: Buffer, name = 'sheet.xlsx'): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), name);
  return form;
}

/** The text of each page of a PDF, read back by pdf.js in a separate Node process (it is ESM-only). */
export function pdfText(pdf: Buffer): { totalPages: number; pages: string[] } {
  const result = spawnSync(process.execPath, [require.resolve('./pdf-text.mjs')], { input: pdf, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`could not read the PDF: ${result.stderr.toString()}`);
  return JSON.parse(result.stdout.toString()) as { totalPages: number; pages: string[] };
}

/** A file answer (PDF, .xlsx) as bytes. */
export async function download(
  server: { apiUrl: string },
  token: string | null,
  path: string,
): Promise<{ status: number; type: string | null; body: Buffer }> {
  const response = await fetch(`${server.apiUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}
