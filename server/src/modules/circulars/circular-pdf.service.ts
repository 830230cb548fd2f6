import { Inject, Injectable } from '@nestjs/common';
import { CIRCULAR_TABLES, chineseDate, scorecardBasisText, scorecardValueText, type ScorecardResponse } from '@baoxue/shared';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { CJK_FONT, CjkPdf } from '../../common/pdf/cjk-pdf';

/** What a printed 通报 carries: its heading and the locked scorecard. */
export interface PrintedCircular {
  number: string;
  title: string;
  comment: string | null;
  /** 光山县教育局: the issuing bureau, signed at the foot. */
  bureau: string;
  /** The China day it was published. */
  publishedOn: string;
  scorecard: ScorecardResponse;
}

const MARGIN = 40;
const RANK_WIDTH = 34;
const NAME_WIDTH = 128;
const ROW_HEIGHT = 26;

/**
 * Prints a 通报 as an A4 landscape PDF with the project's Chinese font (config `pdf`, as the
 * enrolment notices): the number, title and comment, the ranked table with each figure and what it
 * is computed from, the formulas, and the bureau's name and date. A missing font is a clear 503.
 */
@Injectable()
export class CircularPdfService {
  private readonly pdf: CjkPdf;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pdf = new CjkPdf(config.pdf);
  }

  async render(circular: PrintedCircular): Promise<Buffer> {
    return this.pdf.render(
      {
        size: 'A4',
        layout: 'landscape',
        margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
        info: { Title: circular.title, Author: circular.bureau, Creator: '保学通' },
      },
      (doc) => this.write(doc, circular),
    );
  }

  private write(doc: PDFKit.PDFDocument, circular: PrintedCircular): void {
    const card = circular.scorecard;
    const width = doc.page.width - MARGIN * 2;
    doc.font(CJK_FONT).fontSize(12).text(circular.number, { align: 'center', width });
    doc.moveDown(0.4).fontSize(18).text(circular.title, { align: 'center', width });
    doc.moveDown(0.8).fontSize(11);
    doc.text(
      `现将${card.unitName}${CIRCULAR_TABLES[card.by === 'school' ? 'school' : 'township']}${card.from}至${card.to}控辍保学工作考核情况通报如下。`,
      {
        width,
        indent: 22,
        lineGap: 3,
      },
    );
    if (circular.comment)
      for (const paragraph of circular.comment.split(/\n+/).filter((line) => line.trim()))
        doc.text(paragraph.trim(), { width, indent: 22, lineGap: 3 });
    doc.moveDown(0.6);
    this.table(doc, card, width);

    doc.moveDown(0.8).x = MARGIN;
    doc.fontSize(10).text('计算方法', { width });
    doc.fontSize(8.5);
    for (const figure of card.figures)
      doc.text(`${figure.label}（${figure.better === 'lower' ? '越低越好' : '越高越好'}）：${figure.formula}`, { width, lineGap: 1.5 });
    doc.text(card.ranking, { width, lineGap: 1.5 });
    doc.moveDown(1.2).fontSize(12);
    doc.text(circular.bureau, { align: 'right', width });
    doc.text(chineseDate(circular.publishedOn), { align: 'right', width });
  }

  private table(doc: PDFKit.PDFDocument, card: ScorecardResponse, width: number): void {
    const cell = (width - RANK_WIDTH - NAME_WIDTH) / card.figures.length;
    const unitLabel = card.by === 'school' ? '学校' : '乡镇';
    const bottom = () => doc.page.height - MARGIN;
    const header = () => {
      const top = doc.y;
      doc.fontSize(8.5);
      doc.text('名次', MARGIN, top + 4, { width: RANK_WIDTH, align: 'center' });
      doc.text(unitLabel, MARGIN + RANK_WIDTH, top + 4, { width: NAME_WIDTH, align: 'center' });
      card.figures.forEach((figure, i) =>
        doc.text(figure.label, MARGIN + RANK_WIDTH + NAME_WIDTH + i * cell, top + 4, { width: cell, align: 'center' }),
      );
      doc.rect(MARGIN, top, width, ROW_HEIGHT).lineWidth(0.6).stroke();
      doc.y = top + ROW_HEIGHT;
    };
    header();
    for (const row of card.rows) {
      if (doc.y + ROW_HEIGHT > bottom()) {
        doc.addPage();
        header();
      }
      const top = doc.y;
      doc.fontSize(9.5);
      doc.text(String(row.rank), MARGIN, top + 7, { width: RANK_WIDTH, align: 'center' });
      doc.text(row.name, MARGIN + RANK_WIDTH + 4, top + 7, { width: NAME_WIDTH - 8, height: ROW_HEIGHT - 6, ellipsis: true });
      card.figures.forEach((figure, i) => {
        const value = row.figures[figure.key];
        const left = MARGIN + RANK_WIDTH + NAME_WIDTH + i * cell;
        doc.fontSize(9.5).text(scorecardValueText(figure.kind, value.value), left, top + 3, { width: cell, align: 'center' });
        const basis = scorecardBasisText(figure.kind, value);
        const rank = value.rank ? `第${value.rank}` : '';
        doc.fontSize(7).text([basis, rank].filter(Boolean).join(' · '), left, top + 15, { width: cell, align: 'center' });
      });
      doc
        .moveTo(MARGIN, top + ROW_HEIGHT)
        .lineTo(MARGIN + width, top + ROW_HEIGHT)
        .lineWidth(0.3)
        .stroke();
      doc.y = top + ROW_HEIGHT;
    }
    if (!card.rows.length) doc.fontSize(9.5).text('本期没有可排名的单位。', MARGIN, doc.y + 6, { width });
  }
}
