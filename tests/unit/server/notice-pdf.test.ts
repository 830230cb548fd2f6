import type { AppConfig } from '../../../server/src/config/config.schema';
import { AppError } from '../../../server/src/common/errors/app-error';
import { enrolmentNoticeText } from '../../../server/src/modules/enrolment/enrolment-text';
import { NoticePdfService } from '../../../server/src/modules/enrolment/notice-pdf.service';
import { pdfText } from '../../support/pupils';

const text = enrolmentNoticeText({
  kind: 'new_entrants',
  childName: '王小花',
  guardianNames: ['王建设'],
  birthDate: '2021-03-01',
  schoolYear: 2027,
  schoolName: '光山县十里镇中心小学',
  reportOn: '2027-08-30',
  reportTime: '上午8:00',
  reportPlace: '学校大厅',
  bring: '户口簿',
  contact: '赵老师',
  acknowledgeBy: '2027-07-15',
  issuerName: '光山县教育局',
  issuedOn: '2027-05-01',
});

function service(fontPath: string, fontName = 'NotoSansCJKsc-Regular'): NoticePdfService {
  return new NoticePdfService({ pdf: { fontPath, fontName } } as AppConfig);
}

describe('printed enrolment notices', () => {
  it('carries the guardian, the child, the dates and the law in words', () => {
    expect(text).toContain('王建设：');
    expect(text).toContain('您的孩子王小花（2021年3月1日出生）已到入学年龄，应于2027年秋季入学接受义务教育。');
    expect(text).toContain('请于2027年7月15日前在“保学通”小程序中确认收到本通知');
    expect(text.split('\n').slice(-2)).toEqual(['光山县教育局', '2027年5月1日']);
  });

  it('renders a page per notice that reads back with its binding code', async () => {
    const pdf = await service('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc').render(
      [
        { text, childName: '王小花', schoolName: '光山县十里镇中心小学', bindingCode: 'HUA2CODE' },
        { text, childName: '王小花', schoolName: '光山县十里镇中心小学', bindingCode: null },
      ],
      '入学通知书',
    );
    const { totalPages, pages } = pdfText(pdf);
    expect(totalPages).toBe(2);
    expect(pages[0]!.replace(/\s+/g, '')).toContain('家长绑定码：HUA2CODE');
    expect(pages[1]!.replace(/\s+/g, '')).not.toContain('绑定码：');
    expect(pages[0]!.replace(/\s+/g, '')).toContain('回执');
  });

  it('answers 503 in Chinese when the font is missing or the collection lacks the face, instead of printing boxes', async () => {
    for (const broken of [
      service('/nonexistent/font.ttc'),
      service('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NoSuchFace'),
    ]) {
      const error = await broken
        .render([{ text, childName: '王小花', schoolName: '学校', bindingCode: 'HUA2CODE' }], '入学通知书')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(503);
      expect((error as AppError).code).toBe('PDF_UNAVAILABLE');
      expect((error as AppError).message).toMatch(/中文字体/);
    }
  });
});
