import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import { CJK_FONT, CjkPdf } from '../../common/pdf/cjk-pdf';

/** One printed notice: its stored text, and what only paper carries (the binding code, the tear-off receipt). */
export interface PrintedNotice {
  text: string;
  childName: string;
  schoolName: string;
  /** null: the child has no code yet (nothing to bind with). */
  bindingCode: string | null;
}

const MARGIN = 56;
/** Two ideographic spaces, as Chinese forms separate fields. */
const GAP = '\u3000\u3000';

/** `ABCD2345` → `ABCD 2345`: easier to read aloud and to copy. */
function spacedCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Prints enrolment notices as A4 PDF with a Chinese font embedded (subset by pdfkit), one notice
 * per page. Without the font a PDF would show boxes instead of characters, so a missing font is a
 * clear 503 rather than a broken document.
 */
@Injectable()
export class NoticePdfService {
  private readonly pdf: CjkPdf;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pdf = new CjkPdf(config.pdf);
  }

  async render(notices: PrintedNotice[], title: string): Promise<Buffer> {
    return this.pdf.render(
      {
        size: 'A4',
        margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
        autoFirstPage: false,
        info: { Title: title, Author: '保学通', Creator: '保学通' },
      },
      (doc) => {
        for (const notice of notices) this.page(doc, notice);
      },
    );
  }

  private page(doc: PDFKit.PDFDocument, notice: PrintedNotice): void {
    doc.addPage();
    const width = doc.page.width - MARGIN * 2;
    const lines = notice.text.split('\n');
    const [heading, ...rest] = lines;
    const closing = rest.splice(rest.length - 2, 2);
    doc
      .font(CJK_FONT)
      .fontSize(20)
      .text(heading ?? '', { align: 'center', width });
    doc.moveDown(0.8);
    let law = false;
    for (const line of rest) {
      if (line.startsWith('《中华人民共和国义务教育法》')) law = true;
      if (line === '') {
        doc.moveDown(0.4);
        continue;
      }
      doc.fontSize(law ? 9.5 : 12).text(line, { width, lineGap: law ? 2 : 4, indent: law || line.endsWith('：') ? 0 : 24 });
    }
    doc.moveDown(0.8);
    doc.fontSize(12);
    for (const line of closing) doc.text(line, { align: 'right', width });

    doc.moveDown(1);
    if (notice.bindingCode) {
      const top = doc.y;
      doc.rect(MARGIN, top, width, 58).lineWidth(0.8).stroke();
      doc.fontSize(12).text(`家长绑定码：${spacedCode(notice.bindingCode)}${GAP}孩子姓名：${notice.childName}`, MARGIN + 12, top + 10, {
        width: width - 24,
      });
      doc.fontSize(9.5).text('在微信中打开“保学通”小程序，选择“绑定孩子”，输入绑定码和孩子姓名，即可在手机上查看通知、回执和资助信息。', {
        width: width - 24,
      });
      doc.x = MARGIN;
      doc.y = top + 70;
    }

    // the tear-off receipt for families without the app
    const cut = doc.y + 6;
    doc
      .moveTo(MARGIN, cut)
      .lineTo(MARGIN + width, cut)
      .dash(4, { space: 3 })
      .lineWidth(0.6)
      .stroke()
      .undash();
    doc.fontSize(12).text('回　执', MARGIN, cut + 12, { align: 'center', width });
    doc
      .moveDown(0.4)
      .fontSize(11)
      .text(`本人已收到${notice.childName}的入学通知书，将按时送孩子到${notice.schoolName}报到。`, { width })
      .moveDown(0.6)
      .text('监护人签字：________________　　联系电话：________________　　日期：______年____月____日', { width });
  }
}
