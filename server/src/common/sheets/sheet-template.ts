import ExcelJS from 'exceljs';
import type { SheetColumn } from './sheet-columns';

const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE68A' } };

/**
 * A template officials fill in, from the sheet's column spec: the header (required columns marked ＊
 * and yellow), an example row, and a sheet of notes naming each column, whether it is required,
 * what to write and the other headers accepted. Every cell is text, so ID numbers and 学籍号 keep
 * every digit.
 */
export async function sheetTemplate(title: string, columns: readonly SheetColumn[]): Promise<{ fileName: string; content: Buffer }> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '保学通';
  const sheet = workbook.addWorksheet(title);
  sheet.columns = columns.map((c) => ({
    header: c.required ? `${c.header}＊` : c.header,
    key: c.key,
    width: c.width ?? Math.max(12, c.header.length * 2 + 4, c.example.length * 2 + 4),
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  columns.forEach((c, i) => {
    if (c.required) sheet.getRow(1).getCell(i + 1).fill = REQUIRED_FILL;
  });
  sheet.addRow(Object.fromEntries(columns.map((c) => [c.key, c.example])));
  const notes = workbook.addWorksheet('填写说明');
  notes.columns = [
    { header: '列名', key: 'header', width: 16 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '说明', key: 'note', width: 70 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of columns)
    notes.addRow({
      header: c.header,
      required: c.required ? '必填' : '选填',
      note: [c.note, c.aliases?.length ? `也可写作：${c.aliases.join('、')}` : ''].filter(Boolean).join('；'),
    });
  notes.addRow({});
  notes.addRow({
    header: '注意',
    note: '带＊的黄色表头为必填列；身份证号、学籍号请设为“文本”格式；第2行是示例，导入前请删除；全部行通过校验才会写入，重复导入同一文件不会产生重复数据。',
  });
  return { fileName: `${title}导入模板.xlsx`, content: Buffer.from(await workbook.xlsx.writeBuffer()) };
}
