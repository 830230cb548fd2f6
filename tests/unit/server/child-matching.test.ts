import {
  countyOfReport,
  matchByName,
  nameKeyOf,
  type ChildReport,
  type KnownChild,
} from '../../../server/src/modules/children/child-matching';

/** 吴明村 and 李堰塆村 of 十里镇; 张围孜村 of 寨河镇, another township of 光山县. */
const WUMING = '411522101203';
const LIYANWAN = '411522101204';
const ZHANGWEIZI = '411522102201';
const SCHOOL = 'school-shili-central';

function report(overrides: Partial<ChildReport> = {}): ChildReport {
  return {
    name: '王梓轩',
    sex: 'male',
    idNumber: null,
    studentNumber: null,
    birthDate: null,
    birthYear: 2014,
    birthYearExact: false,
    villageCode: WUMING,
    schoolId: null,
    grade: null,
    countyCode: '411522000000',
    ...overrides,
  };
}

let serial = 0;
function known(overrides: Partial<KnownChild> = {}): KnownChild {
  return {
    id: `child-${++serial}`,
    nameKey: '王梓轩',
    idNumber: null,
    studentNumber: null,
    birthDate: null,
    birthYear: 2014,
    birthYearExact: false,
    villageCode: WUMING,
    schoolId: null,
    ...overrides,
  };
}

describe('nameKeyOf', () => {
  it('folds full-width letters and digits and drops ideographic and ASCII spaces', () => {
    expect(nameKeyOf('ＡＢＣ１２３')).toBe('ABC123');
    expect(nameKeyOf('王\u3000梓轩')).toBe('王梓轩');
    expect(nameKeyOf(' 王 梓 轩 ')).toBe('王梓轩');
    expect(nameKeyOf('王\t梓轩')).toBe('王梓轩');
  });

  it('drops the middle dots of minority and transliterated names', () => {
    for (const dot of ['·', '•', '・', '.', '．', '･']) expect(nameKeyOf(`阿依古丽${dot}买买提`)).toBe('阿依古丽买买提');
  });

  it('makes traditional characters of common names simplified', () => {
    expect(nameKeyOf('劉陳張鄭趙軒麗華國偉東')).toBe('刘陈张郑赵轩丽华国伟东');
    expect(nameKeyOf('王梓軒')).toBe(nameKeyOf('王梓轩'));
    expect(nameKeyOf('陳麗華')).toBe('陈丽华');
    expect(nameKeyOf('鄭 國偉')).toBe('郑国伟');
  });

  it('leaves a simplified name as it is', () => {
    for (const name of ['王梓轩', '张秀英', '刘德明', '陈丽', '赵敏', '郑一鸣', '周小雨', '吴天佑', '李建国'])
      expect(nameKeyOf(name)).toBe(name);
  });
});

describe('matchByName', () => {
  it('finds the child of the same name, birth date and village (step 2)', () => {
    const child = known({ birthDate: '2014-03-05', birthYearExact: true });
    const outcome = matchByName(report({ birthDate: '2014-03-05', birthYearExact: true }), [child]);
    expect(outcome).toEqual({ match: child, rule: 'birth_date', reviews: [] });
  });

  it('finds the child of the same name and birth date at the same school, though the village differs (step 2)', () => {
    const child = known({ birthDate: '2014-03-05', birthYearExact: true, villageCode: LIYANWAN, schoolId: SCHOOL });
    const outcome = matchByName(report({ birthDate: '2014-03-05', birthYearExact: true, schoolId: SCHOOL }), [child]);
    expect(outcome).toEqual({ match: child, rule: 'birth_date', reviews: [] });
  });

  it('compares normalised names: a traditional or spaced spelling is the same name', () => {
    const child = known({ birthDate: '2014-03-05', birthYearExact: true });
    expect(matchByName(report({ name: '王 梓軒', birthDate: '2014-03-05', birthYearExact: true }), [child]).match).toBe(child);
    expect(matchByName(report({ name: '王子轩', birthDate: '2014-03-05', birthYearExact: true }), [child]).match).toBeNull();
  });

  it('finds the child of the same name and birth year in the village (step 3)', () => {
    const child = known({ birthYear: 2014, birthYearExact: true, birthDate: '2014-03-05' });
    const outcome = matchByName(report({ birthYear: 2014, birthYearExact: true }), [child]);
    expect(outcome).toEqual({ match: child, rule: 'birth_year', reviews: [] });
  });

  it('lets estimated birth years be a year apart, but not two', () => {
    for (const year of [2013, 2014, 2015])
      expect(matchByName(report({ birthYear: 2014 }), [known({ birthYear: year })]).rule).toBe('birth_year');
    for (const year of [2012, 2016]) expect(matchByName(report({ birthYear: 2014 }), [known({ birthYear: year })]).match).toBeNull();
  });

  it('requires two exact birth years to be equal, and lets an estimate a year off an exact one match', () => {
    const exact = (year: number) => known({ birthYear: year, birthYearExact: true });
    expect(matchByName(report({ birthYear: 2014, birthYearExact: true }), [exact(2014)]).rule).toBe('birth_year');
    const off = exact(2015);
    expect(matchByName(report({ birthYear: 2014, birthYearExact: true }), [off])).toEqual({
      match: null,
      rule: null,
      reviews: [{ candidate: off, reason: 'near_birth_year' }],
    });
    // an age said aloud against an ID number's year, either way round
    expect(matchByName(report({ birthYear: 2014 }), [exact(2015)]).rule).toBe('birth_year');
    expect(matchByName(report({ birthYear: 2015, birthYearExact: true }), [known({ birthYear: 2014 })]).rule).toBe('birth_year');
  });

  it('never matches on an unknown birth year, on either side, but lists the child as near', () => {
    const unknownYear = known({ birthYear: null });
    expect(matchByName(report(), [unknownYear])).toEqual({
      match: null,
      rule: null,
      reviews: [{ candidate: unknownYear, reason: 'near_birth_year' }],
    });
    const child = known();
    expect(matchByName(report({ birthYear: null }), [child])).toEqual({
      match: null,
      rule: null,
      reviews: [{ candidate: child, reason: 'near_birth_year' }],
    });
  });

  it('does not list a child of the same name in the village born years apart: that is another child', () => {
    expect(matchByName(report({ birthYear: 2014 }), [known({ birthYear: 2008 })])).toEqual({ match: null, rule: null, reviews: [] });
    expect(
      matchByName(report({ birthYear: 2014, birthYearExact: true }), [known({ birthYear: 2016, birthYearExact: true })]).reviews,
    ).toEqual([]);
  });

  it('matches nobody when several children fit one step, and lists them all as ambiguous', () => {
    const byDate = [
      known({ birthDate: '2014-03-05', birthYearExact: true }),
      known({ birthDate: '2014-03-05', birthYearExact: true, villageCode: LIYANWAN, schoolId: SCHOOL }),
    ];
    expect(matchByName(report({ birthDate: '2014-03-05', birthYearExact: true, schoolId: SCHOOL }), byDate)).toEqual({
      match: null,
      rule: null,
      reviews: byDate.map((candidate) => ({ candidate, reason: 'ambiguous' })),
    });
    const byYear = [known({ birthYear: 2014 }), known({ birthYear: 2015 })];
    expect(matchByName(report({ birthYear: 2014 }), byYear)).toEqual({
      match: null,
      rule: null,
      reviews: byYear.map((candidate) => ({ candidate, reason: 'ambiguous' })),
    });
  });

  it('takes the birth date step before the birth year step', () => {
    const sameDate = known({ birthDate: '2014-03-05', birthYearExact: true });
    const sameYear = known({ birthYear: 2014 });
    expect(matchByName(report({ birthDate: '2014-03-05', birthYearExact: true }), [sameYear, sameDate])).toEqual({
      match: sameDate,
      rule: 'birth_date',
      reviews: [],
    });
  });

  it('never matches a child whose known ID number, 学籍号 or birth date differs', () => {
    const reported = report({
      idNumber: '411522201403051234',
      studentNumber: 'G411522201403051234',
      birthDate: '2014-03-05',
      birthYearExact: true,
    });
    for (const other of [
      known({ idNumber: '411522201403059876', birthDate: '2014-03-05', birthYearExact: true }),
      known({ studentNumber: 'G411522201403059876', birthDate: '2014-03-05', birthYearExact: true }),
      known({ birthDate: '2014-07-21', birthYearExact: true }),
    ])
      expect(matchByName(reported, [other])).toEqual({ match: null, rule: null, reviews: [] });
    // the same identifiers, or none known, do not stand in the way
    const same = known({ idNumber: '411522201403051234', birthDate: '2014-03-05', birthYearExact: true });
    expect(matchByName(reported, [same]).match).toBe(same);
  });

  it('puts a child of a neighbouring village of the township up for review, without matching it', () => {
    const neighbour = known({ villageCode: LIYANWAN, birthDate: '2014-03-05', birthYearExact: true });
    expect(matchByName(report({ birthDate: '2014-03-05', birthYearExact: true }), [neighbour])).toEqual({
      match: null,
      rule: null,
      reviews: [{ candidate: neighbour, reason: 'neighbouring_village' }],
    });
    // years more than one apart are two children
    expect(matchByName(report({ birthYear: 2014 }), [known({ villageCode: LIYANWAN, birthYear: 2011 })]).reviews).toEqual([]);
  });

  it('ignores a child of the same name in another township', () => {
    const far = known({ villageCode: ZHANGWEIZI, birthDate: '2014-03-05', birthYearExact: true });
    expect(matchByName(report({ birthDate: '2014-03-05', birthYearExact: true }), [far])).toEqual({ match: null, rule: null, reviews: [] });
  });
});

describe('countyOfReport', () => {
  it("is the village's county, else the school's, else the reporting county", () => {
    expect(countyOfReport(report({ villageCode: ZHANGWEIZI, countyCode: '411521000000' }), '411521000000')).toBe('411522000000');
    expect(countyOfReport(report({ villageCode: null, schoolId: SCHOOL, countyCode: '411522000000' }), '411521000000')).toBe(
      '411521000000',
    );
    expect(countyOfReport(report({ villageCode: null, countyCode: '411522000000' }), null)).toBe('411522000000');
    expect(countyOfReport(report({ villageCode: null, countyCode: null }), null)).toBeNull();
  });
});
