import type ExcelJS from 'exceljs';

/**
 * A spreadsheet cell as the official typed it, for every sheet the county uploads (registries,
 * subsidy lists). Date cells are calendar days (exceljs reads them as UTC midnight). Numbers too
 * long for doubles (ID numbers typed as numbers) are flagged `#NUMBER:` so the row can say so;
 * formula cells give their result; error cells and unknown objects are blank.
 */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isSafeInteger(value) || !Number.isInteger(value) ? String(value) : `#NUMBER:${value}`;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((part) => part.text)
        .join('')
        .trim();
    if ('text' in value && typeof value.text === 'string') return value.text.trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  }
  return '';
}
