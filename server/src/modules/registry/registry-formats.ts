import {
  chinaDay,
  GRADE_LABELS,
  normalizeName,
  parseIdNumber,
  parseStudentNumber,
  POVERTY_CATEGORIES,
  REGISTRY_KINDS,
  type ApiRowError,
  type PovertyCategory,
  type RegistryKind,
} from '@baoxue/shared';
import { parseDateCell } from '../../common/sheets/date-cell';
import { cell, INVALID, readCell, RowErrors } from '../../common/sheets/row-schema';
import { missingColumnsError } from '../../common/sheets/read-sheet';
import { mapHeader as mapColumns, type SheetColumn } from '../../common/sheets/sheet-columns';
import { sheetTemplate } from '../../common/sheets/sheet-template';

/**
 * The columns of each registry, as officials' spreadsheets name them, and how one row becomes a
 * record. Every problem is reported with its line and column; a row with problems yields nothing.
 */
/** A registry column: the spec every county sheet uses. */
export type ColumnSpec = SheetColumn;

/** What a row needs to know about the county: its villages and schools. */
export interface RowContext {
  countyCode: string;
  villages: Map<string, string>;
  /** `township名/村名` → village code. */
  villagesByName: Map<string, string>;
  schoolsByName: Map<string, string>;
  schoolsByCode: Map<string, string>;
  today: Date;
}

export interface HouseholdRow {
  idNumber: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  villageCode: string;
  guardianName: string | null;
  guardianPhone: string | null;
}

export interface RosterRow {
  studentNumber: string;
  name: string;
  sex: 'male' | 'female' | 'unknown';
  idNumber: string | null;
  birthDate: string | null;
  schoolId: string;
  grade: number;
  className: string | null;
  boarding: boolean;
  villageCode: string | null;
  guardian: { name: string; relation: string; phone: string | null } | null;
}

export interface AbsenceRow {
  studentNumber: string;
  day: string;
  excused: boolean;
}

export interface PovertyRow {
  idNumber: string;
  name: string;
  category: PovertyCategory;
  villageCode: string | null;
}

export type RegistryRow = HouseholdRow | RosterRow | AbsenceRow | PovertyRow;

const VILLAGE_COLUMNS: ColumnSpec[] = [
  {
    key: 'village',
    header: '村区划代码',
    aliases: ['区划代码', '户籍地区划代码', '村代码'],
    required: false,
    example: '411522101203',
    note: '12位村级统计用区划代码；没有时填写“乡镇”和“村”两列',
  },
  { key: 'townshipName', header: '乡镇', aliases: ['乡镇（街道）', '乡镇街道'], required: false, example: '十里镇' },
  { key: 'villageName', header: '村', aliases: ['村（社区）', '村社区', '村委会'], required: false, example: '吴明村民委员会' },
];

export const REGISTRY_COLUMNS: Record<RegistryKind, ColumnSpec[]> = {
  household: [
    {
      key: 'idNumber',
      header: '身份证号',
      aliases: ['公民身份号码', '身份证号码'],
      required: true,
      example: '411522201503011234',
      note: '请设为文本格式，避免末尾变成0',
    },
    { key: 'name', header: '姓名', required: true, example: '王小红' },
    { key: 'sex', header: '性别', required: false, example: '女', note: '可不填，按身份证号判断' },
    { key: 'birthDate', header: '出生日期', required: false, example: '2015-03-01', note: '可不填，按身份证号判断' },
    ...VILLAGE_COLUMNS,
    { key: 'guardianName', header: '监护人姓名', aliases: ['户主姓名', '监护人'], required: false, example: '王建设' },
    { key: 'guardianPhone', header: '监护人电话', aliases: ['联系电话'], required: false, example: '13800138000' },
  ],
  roster: [
    { key: 'studentNumber', header: '学籍号', aliases: ['全国学籍号', '学籍辅号'], required: true, example: 'G411522201503011234' },
    { key: 'name', header: '姓名', aliases: ['学生姓名'], required: true, example: '王小红' },
    { key: 'sex', header: '性别', required: false, example: '女' },
    { key: 'idNumber', header: '身份证号', aliases: ['身份证件号', '公民身份号码'], required: false, example: '411522201503011234' },
    { key: 'birthDate', header: '出生日期', required: false, example: '2015-03-01' },
    {
      key: 'school',
      header: '学校',
      aliases: ['学校名称', '学校标识码'],
      required: true,
      example: '光山县十里镇中心小学',
      note: '学校名称或10位学校标识码',
    },
    { key: 'grade', header: '年级', required: true, example: '五年级', note: '1–9 或 一年级…六年级、初一…初三' },
    { key: 'className', header: '班级', required: false, example: '2班' },
    { key: 'boarding', header: '是否寄宿', aliases: ['寄宿'], required: false, example: '否', note: '是 / 否' },
    ...VILLAGE_COLUMNS,
    { key: 'guardianName', header: '监护人姓名', aliases: ['监护人'], required: false, example: '王建设' },
    { key: 'guardianRelation', header: '监护人关系', aliases: ['与学生关系'], required: false, example: '父亲' },
    { key: 'guardianPhone', header: '监护人电话', aliases: ['联系电话'], required: false, example: '13800138000' },
  ],
  absence: [
    { key: 'studentNumber', header: '学籍号', aliases: ['全国学籍号'], required: true, example: 'G411522201503011234' },
    { key: 'day', header: '日期', aliases: ['缺勤日期'], required: true, example: '2026-11-02' },
    { key: 'excused', header: '是否请假', aliases: ['请假'], required: false, example: '否', note: '是 / 否；不填为未请假' },
    { key: 'note', header: '说明', aliases: ['备注'], required: false, example: '' },
  ],
  poverty: [
    { key: 'idNumber', header: '身份证号', aliases: ['公民身份号码', '证件号码'], required: true, example: '411522201503011234' },
    { key: 'name', header: '姓名', required: true, example: '王小红' },
    {
      key: 'category',
      header: '类别',
      aliases: ['户类型', '人员类别'],
      required: true,
      example: '脱贫户',
      note: '脱贫户、监测户、低保、特困、孤儿、残疾',
    },
    { key: 'village', header: '村区划代码', aliases: ['区划代码'], required: false, example: '411522101203' },
  ],
};

const CATEGORY_NAMES = new Map<string, PovertyCategory>(
  Object.entries({
    脱贫户: 'registered_poor',
    建档立卡: 'registered_poor',
    建档立卡户: 'registered_poor',
    监测户: 'monitored',
    防返贫监测户: 'monitored',
    低保: 'subsistence',
    低保户: 'subsistence',
    特困: 'extreme_poverty',
    特困供养: 'extreme_poverty',
    孤儿: 'orphan',
    残疾: 'disabled',
    残疾人: 'disabled',
  } satisfies Record<string, PovertyCategory>),
);
for (const [key, label] of Object.entries(POVERTY_CATEGORIES)) CATEGORY_NAMES.set(label, key as PovertyCategory);

const GRADE_NAMES = new Map<string, number>(Object.entries(GRADE_LABELS).map(([grade, label]) => [label, Number(grade)]));
for (const [label, grade] of [
  ['七年级', 7],
  ['八年级', 8],
  ['九年级', 9],
  ['初中一年级', 7],
  ['初中二年级', 8],
  ['初中三年级', 9],
] as const) {
  GRADE_NAMES.set(label, grade);
}

/** Maps the header row to column keys; reports unknown layouts and missing required columns. */
export function mapHeader(kind: RegistryKind, header: string[]): { columns: Map<string, number>; errors: ApiRowError[] } {
  const { positions: columns, missing } = mapColumns(REGISTRY_COLUMNS[kind], header);
  const errors: ApiRowError[] = missing.length ? [missingColumnsError(missing)] : [];
  if (kind === 'household' && !columns.has('village') && !(columns.has('townshipName') && columns.has('villageName'))) {
    errors.push({ line: 1, message: '缺少“村区划代码”列（或“乡镇”和“村”两列）' });
  }
  return { columns, errors };
}

/** The cells every registry reads the same way (their messages name the value officials typed). */
const CELLS = {
  yesNo: cell.optional(cell.yesNo((text) => `“${text}”应为“是”或“否”`)),
  date: cell.parsed(parseDateCell, (text) => `“${text}”不是有效日期（应为 2026-09-01 这样的格式）`),
  sex: cell.optional(
    cell.oneOf(
      new Map([
        ['男', 'male'],
        ['女', 'female'],
      ] as const),
      (text) => `性别“${text}”应为“男”或“女”`,
    ),
  ),
  grade: cell.parsed(
    (text) => (/^[1-9]$/.test(text) ? Number(text) : GRADE_NAMES.get(text)),
    (text) => `年级“${text}”应为1–9或“五年级”“初一”这样的写法`,
  ),
  category: cell.oneOf(CATEGORY_NAMES, (text) => `类别“${text}”应为脱贫户、监测户、低保、特困、孤儿或残疾`),
};

function yesNo(value: string, line: number, column: string, errors: RowErrors): boolean {
  const read = readCell(CELLS.yesNo, value, line, column, errors);
  return read === INVALID ? false : (read ?? false);
}

function dateValue(value: string, line: number, column: string, errors: RowErrors, today: Date): string | null {
  const iso = readCell(CELLS.date, value, line, column, errors);
  if (iso === INVALID) return null;
  // officials date things in China time
  if (iso > chinaDay(today)) {
    errors.add(line, column, `日期 ${iso} 晚于今天`);
    return null;
  }
  return iso;
}

function sexValue(value: string, line: number, errors: RowErrors): 'male' | 'female' | null {
  const sex = readCell(CELLS.sex, value, line, '性别', errors);
  return sex === INVALID ? null : sex;
}

function numberLost(value: string, line: number, column: string, errors: ApiRowError[]): boolean {
  if (!value.startsWith('#NUMBER:')) return false;
  errors.push({ line, column, message: `${column}被保存为数字，末尾数字已丢失；请把该列设为文本格式后重新填写` });
  return true;
}

function villageOf(
  get: (key: string) => string,
  line: number,
  context: RowContext,
  errors: ApiRowError[],
  required: boolean,
): string | null {
  const code = get('village');
  if (code) {
    if (!/^\d{12}$/.test(code)) errors.push({ line, column: '村区划代码', message: `区划代码“${code}”应为12位数字` });
    else if (!context.villages.has(code)) errors.push({ line, column: '村区划代码', message: `区划代码 ${code} 不是本县的村` });
    else return code;
    return null;
  }
  const township = get('townshipName');
  const village = get('villageName');
  if (township && village) {
    const found = context.villagesByName.get(`${township}/${village}`);
    if (found) return found;
    errors.push({ line, column: '村', message: `本县没有“${township}${village}”，请核对乡镇和村的名称` });
    return null;
  }
  if (required) errors.push({ line, column: '村区划代码', message: '请填写村区划代码，或乡镇和村的名称' });
  return null;
}

/** One data row of a registry file as a record, or null with its problems added to `errors`. */
export function parseRow(
  kind: RegistryKind,
  cells: string[],
  columns: Map<string, number>,
  line: number,
  context: RowContext,
  errors: ApiRowError[],
): RegistryRow | null {
  const before = errors.length;
  const sink = new RowErrors(errors);
  const get = (key: string) => {
    const index = columns.get(key);
    return index === undefined ? '' : (cells[index] ?? '').trim();
  };
  const required = (key: string, header: string) => {
    const value = get(key);
    if (!value) errors.push({ line, column: header, message: `${header}不能为空` });
    return value;
  };
  const idNumber = (value: string, column: string) => {
    if (!value || numberLost(value, line, column, errors)) return null;
    const parsed = parseIdNumber(value, context.today);
    if (!parsed.ok) {
      errors.push({ line, column, message: parsed.message });
      return null;
    }
    return parsed;
  };

  switch (kind) {
    case 'household': {
      const id = idNumber(required('idNumber', '身份证号'), '身份证号');
      const name = normalizeName(required('name', '姓名'));
      const sex = sexValue(get('sex'), line, sink);
      const birthDate = get('birthDate') ? dateValue(get('birthDate'), line, '出生日期', sink, context.today) : null;
      if (id && birthDate && birthDate !== id.birthDate)
        errors.push({ line, column: '出生日期', message: `出生日期与身份证号不一致（身份证为 ${id.birthDate}）` });
      if (id && sex && sex !== id.sex) errors.push({ line, column: '性别', message: '性别与身份证号不一致' });
      const villageCode = villageOf(get, line, context, errors, true);
      if (errors.length > before || !id || !villageCode) return null;
      return {
        idNumber: id.value,
        name,
        sex: id.sex,
        birthDate: id.birthDate,
        villageCode,
        guardianName: get('guardianName') || null,
        guardianPhone: get('guardianPhone') || null,
      };
    }
    case 'roster': {
      const rawNumber = required('studentNumber', '学籍号');
      const student = rawNumber && !numberLost(rawNumber, line, '学籍号', errors) ? parseStudentNumber(rawNumber, context.today) : null;
      if (student && !student.ok) errors.push({ line, column: '学籍号', message: student.message });
      const name = normalizeName(required('name', '姓名'));
      const id = get('idNumber') ? idNumber(get('idNumber'), '身份证号') : null;
      const sex = sexValue(get('sex'), line, sink);
      const birthDate = get('birthDate') ? dateValue(get('birthDate'), line, '出生日期', sink, context.today) : null;
      if (id?.ok && birthDate && birthDate !== id.birthDate)
        errors.push({ line, column: '出生日期', message: `出生日期与身份证号不一致（身份证为 ${id.birthDate}）` });
      if (id?.ok && sex && sex !== id.sex) errors.push({ line, column: '性别', message: '性别与身份证号不一致' });
      const schoolText = required('school', '学校');
      const schoolId = context.schoolsByCode.get(schoolText) ?? context.schoolsByName.get(schoolText) ?? null;
      if (schoolText && !schoolId) errors.push({ line, column: '学校', message: `本县没有学校“${schoolText}”，请核对学校名称或标识码` });
      const gradeText = required('grade', '年级');
      const gradeRead = gradeText ? readCell(CELLS.grade, gradeText, line, '年级', sink) : INVALID;
      const grade = gradeRead === INVALID ? null : gradeRead;
      const boarding = yesNo(get('boarding'), line, '是否寄宿', sink);
      const villageCode = villageOf(get, line, context, errors, false);
      const guardianName = get('guardianName');
      if (errors.length > before || !student?.ok || !schoolId || grade === null) return null;
      const birth = id?.ok ? id.birthDate : (birthDate ?? student.birthDate);
      return {
        studentNumber: student.value,
        name,
        sex: id?.ok ? id.sex : (sex ?? 'unknown'),
        idNumber: id?.ok ? id.value : student.kind === 'formal_id' ? student.value.slice(1) : null,
        birthDate: birth,
        schoolId,
        grade,
        className: get('className') || null,
        boarding,
        villageCode,
        guardian: guardianName
          ? {
              name: normalizeName(guardianName).slice(0, 32),
              relation: get('guardianRelation') || '监护人',
              phone: get('guardianPhone') || null,
            }
          : null,
      };
    }
    case 'absence': {
      const rawNumber = required('studentNumber', '学籍号');
      const student = rawNumber && !numberLost(rawNumber, line, '学籍号', errors) ? parseStudentNumber(rawNumber, context.today) : null;
      if (student && !student.ok) errors.push({ line, column: '学籍号', message: student.message });
      const dayText = required('day', '日期');
      const day = dayText ? dateValue(dayText, line, '日期', sink, context.today) : null;
      const excused = yesNo(get('excused'), line, '是否请假', sink);
      if (errors.length > before || !student?.ok || !day) return null;
      return { studentNumber: student.value, day, excused };
    }
    case 'poverty': {
      const id = idNumber(required('idNumber', '身份证号'), '身份证号');
      const name = normalizeName(required('name', '姓名'));
      const categoryText = required('category', '类别');
      const categoryRead = categoryText ? readCell(CELLS.category, categoryText, line, '类别', sink) : INVALID;
      const category = categoryRead === INVALID ? null : categoryRead;
      const villageCode = get('village') ? villageOf(get, line, context, errors, false) : null;
      if (errors.length > before || !id || !category) return null;
      return { idNumber: id.value, name, category, villageCode };
    }
  }
}

/** The template officials fill in for a registry. */
export function registryTemplate(kind: RegistryKind): Promise<{ fileName: string; content: Buffer }> {
  return sheetTemplate(REGISTRY_KINDS[kind], REGISTRY_COLUMNS[kind]);
}
