import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { cellText } from '../../common/sheets/cell-text';

/**
 * Rows of a spreadsheet as text, streamed: .xlsx through exceljs's streaming reader, .csv through
 * csv-parse (UTF-8 or, as Excel saves it in China, GB18030). Only the first worksheet is read.
 * Lines are numbered as the official sees them in Excel: the header is line 1.
 */
export interface TabularRow {
  line: number;
  cells: string[];
}

export class UnreadableFileError extends Error {}

async function sniff(path: string): Promise<'xlsx' | 'csv' | 'binary'> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
    // OLE2 (old .xls), PDF, images and other binaries are not tables we can read
    if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) || head.includes(0)) return 'binary';
    return 'csv';
  } finally {
    await handle.close();
  }
}

function isUtf8(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const stream = createReadStream(path);
    stream.on('data', (chunk) => {
      try {
        decoder.decode(chunk as Buffer, { stream: true });
      } catch {
        stream.destroy();
        resolve(false);
      }
    });
    stream.on('end', () => resolve(true));
    stream.on('error', reject);
  });
}

export async function* readTable(path: string): AsyncGenerator<TabularRow> {
  const kind = await sniff(path);
  if (kind === 'binary') throw new UnreadableFileError('文件不是 Excel（.xlsx）或 CSV 格式；旧版 .xls 请另存为 .xlsx');
  if (kind === 'xlsx') {
    let reader: ExcelJS.stream.xlsx.WorkbookReader;
    try {
      reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
        worksheets: 'emit',
        sharedStrings: 'cache',
        styles: 'cache',
        hyperlinks: 'ignore',
        entries: 'emit',
      });
      for await (const worksheet of reader) {
        for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
          const values = row.values as ExcelJS.CellValue[];
          const cells = values.slice(1).map(cellText);
          if (cells.some((c) => c !== '')) yield { line: row.number, cells };
        }
        return;
      }
    } catch (error) {
      if (error instanceof UnreadableFileError) throw error;
      throw new UnreadableFileError('Excel 文件已损坏或不是有效的 .xlsx 文件');
    }
    return;
  }
  const decoder = new TextDecoder((await isUtf8(path)) ? 'utf-8' : 'gb18030');
  // piped, so a large file is read only as fast as rows are consumed
  const decode = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
  const parser = createReadStream(path)
    .pipe(decode)
    .pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: info.lines, cells: record.map((c) => c.trim()) };
    }
  } catch {
    throw new UnreadableFileError('CSV 格式错误：引号或分隔符不匹配，请用“另存为 CSV（UTF-8）”重新导出');
  }
}
