import { idNumberCheckCharacter, maskStudentNumber, parseStudentNumber } from '@baoxue/shared';

const TODAY = new Date('2026-11-23T00:00:00Z');
const LENGTH_MESSAGE = '学籍号应为19位：G、J或L开头';

function withCheck(first17: string): string {
  return first17 + idNumberCheckCharacter(first17);
}

describe('parseStudentNumber (全国学籍号)', () => {
  it('refuses J and L numbers born in the future or before 1900', () => {
    expect(parseStudentNumber('J411522209912311234', TODAY)).toEqual({ ok: false, message: 'J字头学籍号中的出生日期不是有效日期' });
    expect(parseStudentNumber('L41152218000101ABCD', TODAY)).toEqual({ ok: false, message: 'L字头学籍号中的出生日期不是有效日期' });
    expect(parseStudentNumber('L41152220261123ABCD', TODAY)).toMatchObject({ ok: true, birthDate: '2026-11-23' });
  });

  describe('G + ID number (formal, with an ID card)', () => {
    it('accepts G followed by a valid ID number and reads the birth date from it', () => {
      expect(parseStudentNumber('G11010519491231002X', TODAY)).toEqual({
        ok: true,
        value: 'G11010519491231002X',
        kind: 'formal_id',
        birthDate: '1949-12-31',
      });
      const pupil = withCheck('41152220150301123');
      expect(parseStudentNumber(`G${pupil}`, TODAY)).toEqual({ ok: true, value: `G${pupil}`, kind: 'formal_id', birthDate: '2015-03-01' });
    });

    it('refuses G followed by an ID number with a wrong check digit, quoting the ID problem', () => {
      expect(parseStudentNumber('G110105194912310021', TODAY)).toEqual({
        ok: false,
        message: 'G字头学籍号后18位应为有效身份证号：身份证号校验位不正确，请核对',
      });
    });

    it('refuses G followed by an ID number whose birth date is not a real day', () => {
      expect(parseStudentNumber(`G${withCheck('41152219991331123')}`, TODAY)).toEqual({
        ok: false,
        message: 'G字头学籍号后18位应为有效身份证号：身份证号中的出生日期不是有效日期',
      });
    });

    it('refuses G followed by an ID number born after today (the G form inherits every ID rule)', () => {
      expect(parseStudentNumber(`G${withCheck('41152220261124123')}`, TODAY)).toEqual({
        ok: false,
        message: 'G字头学籍号后18位应为有效身份证号：身份证号中的出生日期不是有效日期',
      });
      expect(parseStudentNumber(`G${withCheck('41152220261123123')}`, TODAY)).toMatchObject({ ok: true, birthDate: '2026-11-23' });
    });

    it('refuses G followed by something that is not ID-shaped', () => {
      expect(parseStudentNumber('G1101051949123100AX', TODAY)).toEqual({
        ok: false,
        message: 'G字头学籍号后18位应为有效身份证号：身份证号应为17位数字加1位校验码（数字或X）',
      });
    });
  });

  describe('J + ID-shaped number (formal, no ID card)', () => {
    it('accepts J followed by 17 digits and a check character, reading the birth date', () => {
      expect(parseStudentNumber('J411522201503011234', TODAY)).toEqual({
        ok: true,
        value: 'J411522201503011234',
        kind: 'formal_no_id',
        birthDate: '2015-03-01',
      });
      expect(parseStudentNumber('J41152220160229123X', TODAY)).toEqual({
        ok: true,
        value: 'J41152220160229123X',
        kind: 'formal_no_id',
        birthDate: '2016-02-29',
      });
    });

    it('requires a real birth date: 19991331, 20150229 and day 00 are refused', () => {
      const message = { ok: false, message: 'J字头学籍号中的出生日期不是有效日期' };
      expect(parseStudentNumber('J411522199913311234', TODAY)).toEqual(message);
      expect(parseStudentNumber('J411522201502291234', TODAY)).toEqual(message);
      expect(parseStudentNumber('J411522201503001234', TODAY)).toEqual(message);
      expect(parseStudentNumber('J411522201504311234', TODAY)).toEqual(message);
    });

    it('refuses letters anywhere but the check position', () => {
      const message = { ok: false, message: 'J字头学籍号后18位应为17位数字加1位校验码' };
      expect(parseStudentNumber('J41152220150301A234', TODAY)).toEqual(message);
      expect(parseStudentNumber('J4115222015030112X4', TODAY)).toEqual(message);
      expect(parseStudentNumber('J41152220150301123Y', TODAY)).toEqual(message);
    });
  });

  describe('L + area + birth date + 4 random characters (temporary)', () => {
    it('accepts digits and capital letters in the random part', () => {
      expect(parseStudentNumber('L41152220150301A1B2', TODAY)).toEqual({
        ok: true,
        value: 'L41152220150301A1B2',
        kind: 'temporary',
        birthDate: '2015-03-01',
      });
      expect(parseStudentNumber('L411522201503010000', TODAY)).toMatchObject({ ok: true, kind: 'temporary' });
      expect(parseStudentNumber('L41152220150301ZZZZ', TODAY)).toMatchObject({ ok: true, kind: 'temporary' });
    });

    it('requires a real birth date', () => {
      expect(parseStudentNumber('L41152219991331ABCD', TODAY)).toEqual({ ok: false, message: 'L字头学籍号中的出生日期不是有效日期' });
      expect(parseStudentNumber('L41152220150229ABCD', TODAY)).toEqual({ ok: false, message: 'L字头学籍号中的出生日期不是有效日期' });
    });

    it('requires a 6-digit area, an 8-digit date and 4 letters or digits', () => {
      const message = { ok: false, message: 'L字头临时学籍号应为6位地区码、8位出生日期和4位随机码' };
      expect(parseStudentNumber('L4115A220150301ABCD', TODAY)).toEqual(message);
      expect(parseStudentNumber('L4115222015O301ABCD', TODAY)).toEqual(message);
      expect(parseStudentNumber('L41152220150301AB-C', TODAY)).toEqual(message);
      expect(parseStudentNumber('L41152220150301AB_C', TODAY)).toEqual(message);
    });
  });

  describe('normalisation', () => {
    it('upper-cases the prefix, the check character and the random part', () => {
      expect(parseStudentNumber('g11010519491231002x', TODAY)).toMatchObject({ ok: true, value: 'G11010519491231002X', kind: 'formal_id' });
      expect(parseStudentNumber('j41152220160229123x', TODAY)).toMatchObject({
        ok: true,
        value: 'J41152220160229123X',
        kind: 'formal_no_id',
      });
      expect(parseStudentNumber('l41152220150301a1b2', TODAY)).toMatchObject({ ok: true, value: 'L41152220150301A1B2', kind: 'temporary' });
    });

    it('folds full-width letters and digits', () => {
      expect(parseStudentNumber('Ｇ１１０１０５１９４９１２３１００２Ｘ', TODAY)).toMatchObject({ ok: true, value: 'G11010519491231002X' });
      expect(parseStudentNumber('ｌ４１１５２２２０１５０３０１ａ１ｂ２', TODAY)).toMatchObject({ ok: true, value: 'L41152220150301A1B2' });
    });

    it('drops surrounding and inner spaces, tabs and ideographic spaces', () => {
      expect(parseStudentNumber('  G11010519491231002X\t', TODAY)).toMatchObject({ ok: true, value: 'G11010519491231002X' });
      expect(parseStudentNumber('G 110105 19491231 002X', TODAY)).toMatchObject({ ok: true, value: 'G11010519491231002X' });
      expect(parseStudentNumber('\u3000J411522201503011234\u3000', TODAY)).toMatchObject({ ok: true, value: 'J411522201503011234' });
    });
  });

  describe('length, emptiness and prefix', () => {
    it('asks for the number when it is empty or only spaces', () => {
      expect(parseStudentNumber('', TODAY)).toEqual({ ok: false, message: '请填写学籍号' });
      expect(parseStudentNumber(' \u3000\t', TODAY)).toEqual({ ok: false, message: '请填写学籍号' });
    });

    it('refuses 18 and 20 characters, and a bare ID number without a prefix', () => {
      expect(parseStudentNumber('G11010519491231002', TODAY)).toEqual({ ok: false, message: LENGTH_MESSAGE });
      expect(parseStudentNumber('G11010519491231002X1', TODAY)).toEqual({ ok: false, message: LENGTH_MESSAGE });
      expect(parseStudentNumber('11010519491231002X', TODAY)).toEqual({ ok: false, message: LENGTH_MESSAGE });
      expect(parseStudentNumber('L41152220150301ABC', TODAY)).toEqual({ ok: false, message: LENGTH_MESSAGE });
    });

    it('refuses a 19-character number with an unknown prefix', () => {
      expect(parseStudentNumber('K11010519491231002X', TODAY)).toEqual({ ok: false, message: LENGTH_MESSAGE });
      expect(parseStudentNumber('111010519491231002X', TODAY)).toEqual({ ok: false, message: LENGTH_MESSAGE });
    });
  });
});

describe('maskStudentNumber', () => {
  it('keeps the prefix with the area code and the last four characters', () => {
    expect(maskStudentNumber('G11010519491231002X')).toBe('G110105********002X');
    expect(maskStudentNumber('L41152220150301A1B2')).toBe('L411522********A1B2');
  });

  it('hides the birth date completely', () => {
    const masked = maskStudentNumber('J411522201503011234');
    expect(masked).toHaveLength(19);
    expect(masked).not.toContain('20150301');
  });

  it('masks a value of any other length entirely', () => {
    expect(maskStudentNumber('G1101051949')).toBe('***********');
    expect(maskStudentNumber('')).toBe('');
  });
});
