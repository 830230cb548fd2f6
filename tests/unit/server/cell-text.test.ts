import type ExcelJS from 'exceljs';
import { cellText } from '../../../server/src/common/sheets/cell-text';

describe('spreadsheet cell text (registry and subsidy sheets alike)', () => {
  it('blank cells are empty text', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(undefined as unknown as ExcelJS.CellValue)).toBe('');
  });

  it('text is trimmed; rich text is joined', () => {
    expect(cellText('  张三 ')).toBe('张三');
    expect(cellText({ richText: [{ text: ' 李' }, { text: '四 ' }] })).toBe('李四');
    expect(cellText({ text: ' 链接 ', hyperlink: 'https://example.org' })).toBe('链接');
  });

  it('date cells are calendar days as exceljs reads them (UTC midnight)', () => {
    expect(cellText(new Date('2024-02-29T00:00:00Z'))).toBe('2024-02-29');
  });

  it('numbers as typed, and ID numbers typed as numbers are flagged, not rounded silently', () => {
    expect(cellText(1250)).toBe('1250');
    expect(cellText(625.5)).toBe('625.5');
    expect(cellText(110105194912310020)).toMatch(/^#NUMBER:/);
  });

  it('booleans in Chinese, formulas by their result, errors blank', () => {
    expect(cellText(true)).toBe('是');
    expect(cellText(false)).toBe('否');
    expect(cellText({ formula: 'A1*2', result: 1500 } as ExcelJS.CellValue)).toBe('1500');
    expect(cellText({ error: '#N/A' } as ExcelJS.CellValue)).toBe('');
  });
});
