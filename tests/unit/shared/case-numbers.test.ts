import {
  caseNumberYear,
  classLabel,
  countyShortName,
  formatCaseNumber,
  gradeChoices,
  gradeLabel,
  gradesOfStage,
  normalizeCaseNumber,
} from '@baoxue/shared';

describe('case numbers (案件编号)', () => {
  it('shorten a county’s name as ledgers write it', () => {
    expect(countyShortName('光山县')).toBe('光山');
    expect(countyShortName('浉河区')).toBe('浉河');
    expect(countyShortName('项城市')).toBe('项城');
    expect(countyShortName('神农架林区')).toBe('神农架');
    expect(countyShortName('科尔沁右翼前旗')).toBe('科尔沁右翼前');
    // an autonomous county by its place name, not its peoples
    expect(countyShortName('长阳土家族自治县')).toBe('长阳');
    expect(countyShortName('双江拉祜族佤族布朗族傣族自治县')).toBe('双江');
    // a name that would shrink to one character stays whole
    expect(countyShortName('新县')).toBe('新县');
    expect(countyShortName('城区')).toBe('城区');
    expect(countyShortName(' 罗山县 ')).toBe('罗山');
  });

  it('write the county, the year and six digits of the sequence', () => {
    const guangshan = { code: '411522000000', name: '光山县' };
    expect(formatCaseNumber(guangshan, 2026, 123)).toBe('光山-2026-000123');
    expect(formatCaseNumber(guangshan, 2026, 1)).toBe('光山-2026-000001');
    expect(formatCaseNumber(guangshan, 2026, 999_999)).toBe('光山-2026-999999');
    // past a million the number grows rather than wraps
    expect(formatCaseNumber(guangshan, 2026, 1_000_000)).toBe('光山-2026-1000000');
    // a county without a name on record is written by its code
    expect(formatCaseNumber({ code: '411522000000', name: null }, 2026, 7)).toBe('411522-2026-000007');
  });

  it('take the year the case opened in on China’s clock, across New Year’s midnight', () => {
    // 23:59:59.999 on 31 December in China is still the old year…
    expect(caseNumberYear(new Date('2026-12-31T15:59:59.999Z'))).toBe(2026);
    // …and midnight in China is the new one, while it is still 31 December in UTC
    expect(caseNumberYear(new Date('2026-12-31T16:00:00.000Z'))).toBe(2027);
    expect(caseNumberYear(new Date('2027-01-01T00:30:00.000+08:00'))).toBe(2027);
  });

  it('read a number typed in a search box, and nothing else', () => {
    expect(normalizeCaseNumber('光山-2026-000123')).toBe('光山-2026-000123');
    expect(normalizeCaseNumber(' 光山 - 2026 - 123 ')).toBe('光山-2026-000123');
    expect(normalizeCaseNumber('光山－2026－123')).toBe('光山-2026-000123');
    expect(normalizeCaseNumber('王小红')).toBeNull();
    expect(normalizeCaseNumber('2026-000123')).toBeNull();
    expect(normalizeCaseNumber('光山-26-000123')).toBeNull();
  });
});

describe('grades as words', () => {
  it('word every grade of compulsory education as the product writes it', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(gradeLabel)).toEqual([
      '一年级',
      '二年级',
      '三年级',
      '四年级',
      '五年级',
      '六年级',
      '初一',
      '初二',
      '初三',
    ]);
    // outside compulsory education, still a word and a number rather than nothing
    expect(gradeLabel(10)).toBe('10年级');
    expect(classLabel(7, '2班')).toBe('初一2班');
  });

  it('offer a school’s pickers only the grades it teaches', () => {
    expect(gradesOfStage('primary')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(gradesOfStage('junior')).toEqual([7, 8, 9]);
    expect(gradesOfStage('both')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(gradesOfStage(null)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(gradeChoices('primary').map((c) => c.label)).toEqual(['一年级', '二年级', '三年级', '四年级', '五年级', '六年级']);
    expect(gradeChoices('junior')).toEqual([
      { value: '7', label: '初一' },
      { value: '8', label: '初二' },
      { value: '9', label: '初三' },
    ]);
  });
});
