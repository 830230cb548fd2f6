import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type AppConfig, loadConfig } from '../../../server/src/config/config.schema';
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

function service(fontPath: string, fontName: string | null = 'NotoSansCJKsc-Regular'): NoticePdfService {
  return new NoticePdfService({ pdf: { fontPath, fontName } } as AppConfig);
}

const REPO = path.resolve(__dirname, '../../..');
/** The font a server prints with when nothing is configured. */
const defaultFont = loadConfig({}).pdf;

/** The font as pdfkit reads it (the fontkit that pdfkit itself uses). */
interface FontFile {
  postscriptName: string;
  hasGlyphForCodePoint(codePoint: number): boolean;
}
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { openSync(file: string): FontFile };

/**
 * Names a notice may carry beyond everyday characters: 东乡族 names and places (Dongxiang county, 临夏),
 * rare surnames, and characters of the 通用规范汉字表 outside the basic plane (王𫖮, 𬱖).
 */
const RARE_NAMES =
  '东乡族自治县锁南镇那勒寺镇免古池镇考勒乡 马尔萨 妥法蒂玛 穆罕默德 撒努尔 哈乃麦 汪赛里木 刘䶮 龑 堃 喆 燊 犇 淼 甦 玥 珺 赟 祎 亓 丌 仉 佴 厍 逄 郗 隗 宓 覃 禤 黾 訾 芈 冼 妫 嬴 綦 闫 阚 酆 殳 钭 郏 剡 郄 乜 禚 鄢 王𫖮 𬱖';

describe('printed enrolment notices', () => {
  it('carries the guardian, the child, the dates and the law in words', () => {
    expect(text).toContain('王建设：');
    expect(text).toContain('您的孩子王小花（2021年3月1日出生）已到入学年龄，应于2027年秋季入学接受义务教育。');
    expect(text).toContain('请于2027年7月15日前在“保学通”小程序中确认收到本通知');
    expect(text.split('\n').slice(-2)).toEqual(['光山县教育局', '2027年5月1日']);
  });

  it('renders a page per notice that reads back with its binding code', async () => {
    const pdf = await new NoticePdfService(loadConfig({})).render(
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
      service(defaultFont.fontPath, 'NoSuchFace'),
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

  it('prints with the font installed with the npm packages by default, reading no system font directory', async () => {
    // the default lies inside the installed packages, so a machine with only Node can print
    const relative = path.relative(REPO, defaultFont.fontPath);
    expect(relative.split(path.sep)[0]).toBe('node_modules');
    expect(fs.existsSync(defaultFont.fontPath)).toBe(true);

    const read: string[] = [];
    const readFileSync = jest.spyOn(fs, 'readFileSync');
    const openSync = jest.spyOn(fs, 'openSync');
    let pdf: Buffer;
    try {
      pdf = await new NoticePdfService(loadConfig({})).render(
        [{ text, childName: '马尔萨', schoolName: '东乡族自治县锁南镇中心小学', bindingCode: 'HUA2CODE' }],
        '入学通知书',
      );
      for (const [file] of [...readFileSync.mock.calls, ...openSync.mock.calls]) read.push(String(file));
    } finally {
      readFileSync.mockRestore();
      openSync.mockRestore();
    }
    expect(read).toContain(defaultFont.fontPath);
    expect(read.filter((file) => !path.resolve(file).startsWith(REPO + path.sep))).toEqual([]);

    const page = pdfText(pdf).pages[0]!.replace(/\s+/g, '');
    expect(page).toContain('入学通知书');
    expect(page).toContain('您的孩子王小花（2021年3月1日出生）已到入学年龄');
    expect(page).toContain('家长绑定码：HUA2CODE');
    expect(page).toContain('本人已收到马尔萨的入学通知书，将按时送孩子到东乡族自治县锁南镇中心小学报到。');
  });

  it('has a glyph in the default font for every character of a notice and of rare names', () => {
    const font = fontkit.openSync(defaultFont.fontPath);
    expect(font.postscriptName).toBe('NotoSansSC-Regular');
    const missing = [...new Set([...text, ...RARE_NAMES])].filter((ch) => ch.trim() && !font.hasGlyphForCodePoint(ch.codePointAt(0)!));
    expect(missing).toEqual([]);
  });
});
