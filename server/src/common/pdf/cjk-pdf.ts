import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { AppConfig } from '../../config/config.schema';
import { AppError } from '../errors/app-error';

/** The name documents use for the configured Chinese font (`doc.font(CJK_FONT)`). */
export const CJK_FONT = 'cjk';

/**
 * Writes PDFs with the configured Chinese font embedded (subset by pdfkit). Without the font a PDF
 * would show boxes instead of characters, so a missing or unreadable font (or a collection without
 * the named face) is a clear 503 rather than a broken document. The font file is read once, by the
 * first PDF: parsing it from memory halves the time of each one.
 */
export class CjkPdf {
  private font: Buffer | null = null;

  constructor(private readonly pdf: AppConfig['pdf']) {}

  async render(options: PDFKit.PDFDocumentOptions, write: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
    const font = this.fontFile();
    const doc = new PDFDocument(options);
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finished = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    try {
      doc.registerFont(CJK_FONT, font, this.pdf.fontName ?? undefined);
      write(doc);
    } catch (error) {
      doc.end();
      await finished.catch(() => undefined);
      if (error instanceof AppError) throw error;
      throw new AppError('PDF_UNAVAILABLE');
    }
    doc.end();
    return finished;
  }

  private fontFile(): Buffer {
    if (!this.font) {
      try {
        this.font = readFileSync(this.pdf.fontPath);
      } catch {
        throw new AppError('PDF_UNAVAILABLE');
      }
    }
    return this.font;
  }
}
