import { REPORT_KINDS, REPORT_STATUSES, chinaDay, type ReportView } from '@baoxue/shared';
import ExcelJS from 'exceljs';

const day = (iso: string | null) => (iso ? chinaDay(new Date(iso)) : '');

/**
 * A periodic report as officials hand it in (.xlsx): the title, the unit, the period and to whom;
 * the table of figures with 本期 and 上期 side by side, section by section; the explanation; who
 * submitted and approved it, and when. Counts only: no child is named.
 */
export async function reportWorkbook(view: ReportView, created: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '保学通';
  workbook.created = created;
  const sheet = workbook.addWorksheet(REPORT_KINDS[view.kind]);
  sheet.columns = [
    { key: 'section', width: 22 },
    { key: 'label', width: 30 },
    { key: 'current', width: 14 },
    { key: 'previous', width: 14 },
  ];
  const title = sheet.addRow([`${view.unit.name}${view.periodLabel}控辍保学${REPORT_KINDS[view.kind]}`]);
  sheet.mergeCells(title.number, 1, title.number, 4);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  sheet.addRow(['上报单位', view.unit.name, '上报对象', view.toLabel]);
  sheet.addRow(['报告期', `${view.periodLabel}（${view.from} 至 ${view.to}）`, '截止日期', view.dueOn]);
  sheet.addRow(['状态', REPORT_STATUSES[view.status], '数据生成时间', day(view.generatedAt)]);
  sheet.addRow([]);
  const header = sheet.addRow(['类别', '项目', `本期（${view.periodLabel}）`, `上期（${view.previous.periodLabel}）`]);
  header.font = { bold: true };
  const border: Partial<ExcelJS.Borders> = {
    top: { style: 'thin' },
    bottom: { style: 'thin' },
    left: { style: 'thin' },
    right: { style: 'thin' },
  };
  const tableRows = [header];
  let section = '';
  for (const line of view.lines) {
    tableRows.push(sheet.addRow([line.section === section ? '' : line.section, line.label, line.current, line.previous]));
    section = line.section;
  }
  for (const row of tableRows) row.eachCell({ includeEmpty: true }, (cell) => (cell.border = border));
  sheet.addRow([]);
  sheet.addRow([`上期数据：${view.previous.source === 'approved' ? '上期审核通过的报告' : '按现有数据生成'}`]);
  const explanation = sheet.addRow(['情况说明', view.explanation ?? '（无）']);
  sheet.mergeCells(explanation.number, 2, explanation.number, 4);
  explanation.alignment = { wrapText: true, vertical: 'top' };
  if (view.reviewComment) sheet.addRow(['审核意见', view.reviewComment]);
  sheet.addRow([]);
  sheet.addRow(['上报人', view.submittedByName ?? '', '上报日期', day(view.submittedAt)]);
  sheet.addRow(['审核人', view.approvedByName ?? '', '审核日期', day(view.approvedAt)]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
