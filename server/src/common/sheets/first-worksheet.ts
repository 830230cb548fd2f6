import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/**
 * The rows of an .xlsx file's first worksheet, streamed, read with exceljs's own part parsers from
 * the archive's central directory.
 *
 * exceljs's streaming WorkbookReader reads the archive in one pass through unzipper's `Parse`, which
 * announces its end as soon as its input is written, while entries may still wait in its buffer
 * (exceljs#3064). The entries after that point are dropped: on a small file, now and then, the
 * shared strings and the workbook part, and a good file was refused as damaged (2 to 9 reads in
 * 2,000 here). Here yauzl opens the archive by its directory and the parts are handed over in the order
 * they depend on each other: relationships, workbook, shared strings, styles, then the first sheet,
 * row by row, so a large registry is never held in memory, and nothing is written to a temporary file.
 *
 * The part parsers are exceljs's internal (underscored) methods; the lockfile pins exceljs, and
 * tests/unit/server/sheets.test.ts reads files laid out as exceljs and as Excel write them.
 */
interface WorkbookParts {
  _parseRels(part: Readable): Promise<void>;
  _parseWorkbook(part: Readable): Promise<void>;
  _parseSharedStrings(part: Readable): AsyncGenerator<unknown>;
  _parseStyles(part: Readable): Promise<void>;
  _parseWorksheet(part: Readable, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
  workbookRels?: Array<{ Id: string; Target: string }>;
  model?: { sheets?: Array<{ rId: string; state?: string }> };
}

const ARCHIVE = { lazyEntries: true, autoClose: false } as const;

async function directory(zip: ZipFile): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', resolve);
    zip.once('error', reject);
    zip.readEntry();
  });
  return entries;
}

/** The first sheet as the workbook orders its tabs (the first visible one), else the lowest-numbered sheet part. */
function firstSheetPath(parts: WorkbookParts, entries: Map<string, Entry>): string | undefined {
  const sheets = parts.model?.sheets ?? [];
  const sheet = sheets.find((s) => !s.state || s.state === 'visible') ?? sheets[0];
  const target = sheet && parts.workbookRels?.find((rel) => rel.Id === sheet.rId)?.Target;
  if (target) {
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    if (entries.has(path)) return path;
  }
  const numbered = [...entries.keys()]
    .map((path) => ({ path, no: /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(path)?.[1] }))
    .filter((p) => p.no !== undefined)
    .sort((a, b) => Number(a.no) - Number(b.no));
  return numbered[0]?.path;
}

export async function* firstWorksheetRows(source: string | Buffer): AsyncGenerator<ExcelJS.Row> {
  const zip = Buffer.isBuffer(source) ? await yauzl.fromBufferPromise(source, ARCHIVE) : await yauzl.openPromise(source, ARCHIVE);
  const open: Readable[] = [];
  const part = async (entry: Entry): Promise<Readable> => {
    const stream = await zip.openReadStreamPromise(entry);
    open.push(stream);
    return stream;
  };
  try {
    const entries = await directory(zip);
    // the parts are handed over one by one below; the reader's own input is never read
    const parts = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
    }) as unknown as WorkbookParts;
    const relationships = entries.get('xl/_rels/workbook.xml.rels');
    if (relationships) await parts._parseRels(await part(relationships));
    const workbook = entries.get('xl/workbook.xml');
    if (workbook) await parts._parseWorkbook(await part(workbook));
    const sharedStrings = entries.get('xl/sharedStrings.xml');
    // in 'cache' mode the strings are kept on the reader and nothing is yielded
    if (sharedStrings) for await (const _ of parts._parseSharedStrings(await part(sharedStrings)));
    const styles = entries.get('xl/styles.xml');
    if (styles) await parts._parseStyles(await part(styles));

    const path = firstSheetPath(parts, entries);
    if (!path) throw new Error('the workbook has no worksheet');
    const sheetNo = /sheet(\d+)\.xml$/.exec(path)?.[1] ?? '1';
    for (const { eventType, value } of parts._parseWorksheet(await part(entries.get(path)!), sheetNo)) {
      if (eventType === 'worksheet') yield* value;
    }
  } finally {
    for (const stream of open) stream.destroy();
    zip.close();
  }
}
