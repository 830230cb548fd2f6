import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { cellText } from './cell-text';
import { firstWorksheetRows } from './first-worksheet';

/**
 * The one way a spreadsheet the county uploads is read (registries, subsidy lists): rows as text,
 * streamed: .xlsx through exceljs's parsers from the archive's directory (first-worksheet.ts), .csv
 * through csv-parse (UTF-8 or, as Excel saves it in China, GB18030). Only the first worksheet (the
 * first tab the official sees) is read; blank rows are skipped. Lines are numbered as the official
 * sees them in Excel: the header is line 1.
 */
export interface TabularRow {
  line: number;
  cells: string[];
  /** What the row came from: a CSV row has as many cells as it has separators; an .xlsx row leaves out trailing blank cells. */
  format: 'xlsx' | 'csv';
}

/** The file cannot be read as a table; the message says why, in words the official can act on. */
export class UnreadableFileError extends Error {
  /** The line a CSV file stops being readable at, when the parser knows it. */
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** A file on disk (large registries, streamed from the upload) or the bytes of a small upload. */
export type SheetSource = string | Buffer;

export interface ReadOptions {
  /** Routes whose contract promises .xlsx only refuse CSV with this message. */
  xlsxOnly?: string;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

async function headOf(source: SheetSource): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source.subarray(0, 4096);
  const handle = await open(source, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function sniff(source: SheetSource): Promise<'xlsx' | 'csv' | 'binary'> {
  const head = await headOf(source);
  if (head.subarray(0, 4).equals(ZIP)) return 'xlsx';
  // OLE2 (old .xls), PDF, images and other binaries are not tables we can read
  if (head.subarray(0, 8).equals(OLE2) || head.includes(0)) return 'binary';
  return 'csv';
}

const streamOf = (source: SheetSource): Readable => (Buffer.isBuffer(source) ? Readable.from([source]) : createReadStream(source));

function isUtf8(source: SheetSource): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const stream = streamOf(source);
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

export async function* readTable(source: SheetSource, options: ReadOptions = {}): AsyncGenerator<TabularRow> {
  const kind = await sniff(source);
  if (kind !== 'xlsx' && options.xlsxOnly) throw new UnreadableFileError(options.xlsxOnly);
  if (kind === 'binary') throw new UnreadableFileError('文件不是 Excel（.xlsx）或 CSV 格式；旧版 .xls 请另存为 .xlsx');
  if (kind === 'xlsx') {
    try {
      for await (const row of firstWorksheetRows(source)) {
        const values = row.values as ExcelJS.CellValue[];
        const cells = values.slice(1).map(cellText);
        if (cells.some((c) => c !== '')) yield { line: row.number, cells, format: 'xlsx' };
      }
    } catch {
      throw new UnreadableFileError('Excel 文件已损坏或不是有效的 .xlsx 文件');
    }
    return;
  }
  const decoder = new TextDecoder((await isUtf8(source)) ? 'utf-8' : 'gb18030');
  // piped, so a large file is read only as fast as rows are consumed
  const decode = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
  const parser = streamOf(source)
    .pipe(decode)
    .pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const cells = record.map((c) => c.trim());
      if (cells.some((c) => c !== '')) yield { line: info.lines, cells, format: 'csv' };
    }
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new UnreadableFileError('CSV 格式错误：引号或分隔符不匹配，请用“另存为 CSV（UTF-8）”重新导出', line);
  }
}
