import ExcelJS from 'exceljs';

export interface ExportColumn<K extends string = string> {
  key: K;
  header: string;
  width: number;
}

/**
 * A report officials download (.xlsx): one sheet, a bold frozen header, every cell text (so ids and
 * codes keep every digit), then a sheet of notes saying what the file is and when it was made.
 */
export async function exportSheet<K extends string>(options: {
  title: string;
  columns: ReadonlyArray<ExportColumn<K>>;
  rows: ReadonlyArray<Record<K, string>>;
  created: Date;
  notes: readonly string[];
}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '保学通';
  workbook.created = options.created;
  const sheet = workbook.addWorksheet(options.title, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = options.columns.map((c) => ({ header: c.header, key: c.key, width: c.width, style: { numFmt: '@' } }));
  sheet.getRow(1).font = { bold: true };
  for (const row of options.rows) sheet.addRow(row);
  const notes = workbook.addWorksheet('说明');
  notes.columns = [{ header: '说明', key: 'note', width: 90 }];
  notes.getRow(1).font = { bold: true };
  for (const note of options.notes) notes.addRow({ note });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
