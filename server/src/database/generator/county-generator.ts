import { idNumberCheckCharacter, schoolDaysUpTo, WEEKDAYS_ONLY, type SchoolCalendar } from '@baoxue/shared';

/**
 * A realistic county for tests, demos and benchmarks, generated from a seed: households with their
 * school-age children over the county's real villages, the school roster, absences and the
 * poor-household list — with planted truths the cross-check must find exactly:
 *  - children of school age on no roster (失学);
 *  - pupils absent by the county's rules (7 school days in a row, or 20 of the last 30);
 *  - pupils on the roster under a slightly different name (near duplicates → review list);
 *  - registry rows with wrong ID check digits (refused by the import).
 */
export interface GeneratorInput {
  seed: number;
  children: number;
  schoolYear: number;
  villages: Array<{ code: string; township: string }>;
  schools: Array<{ id: string; name: string; townshipCode: string; stage: 'primary' | 'junior' | 'both' }>;
  /** Share of children planted as each truth. */
  rates?: Partial<Record<'notEnrolled' | 'absent' | 'nearDuplicate' | 'poor', number>>;
  /** The last school day covered by the absence records (YYYY-MM-DD). */
  lastSchoolDay: string;
  /**
   * The county's school calendar the absences are planted by (SchoolCalendars.of), so that "7 school
   * days in a row" holds across a holiday; weekdays only when left out (a county without absences).
   */
  calendar?: SchoolCalendar;
}

export interface GeneratedChild {
  idNumber: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  villageCode: string;
  guardianName: string;
  guardianPhone: string;
}

export interface GeneratedPupil {
  studentNumber: string;
  name: string;
  sex: 'male' | 'female';
  idNumber: string;
  school: string;
  grade: number;
  boarding: boolean;
  villageCode: string;
}

export interface GeneratedCounty {
  households: GeneratedChild[];
  roster: GeneratedPupil[];
  absences: Array<{ studentNumber: string; day: string; excused: boolean }>;
  poverty: Array<{ idNumber: string; name: string; category: '脱贫户' | '监测户' | '低保' }>;
  /** Household rows with a wrong check digit (to be refused by the import). */
  invalidHouseholds: GeneratedChild[];
  truth: {
    notEnrolled: string[];
    absentByRule: string[];
    /** Student numbers whose roster name differs slightly from the household name. */
    nearDuplicates: string[];
    poorPupils: string[];
  };
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN =
  '子涵浩宇欣怡梓萱俊杰雨桐思远佳怡晨阳一诺紫涵宇轩梓涵博文诗琪嘉怡欣然雅琪子轩浩然梦瑶家豪晓峰丽娜海燕志强秀英建华桂兰明辉春梅国强玉兰小红小明小兵小军小芳小燕文静文博天宇天佑思琪思雨俊熙梓轩'.match(
    /../g,
  )!;
/** Characters that look or sound alike, as clerks mistype them. */
const LOOKALIKES: Record<string, string> = {
  小: '晓',
  晓: '小',
  子: '梓',
  梓: '子',
  宇: '雨',
  雨: '宇',
  涵: '含',
  轩: '宣',
  俊: '骏',
  杰: '洁',
  文: '雯',
  静: '婧',
  明: '鸣',
  红: '虹',
  军: '君',
  芳: '方',
  博: '波',
  佳: '家',
  欣: '心',
  怡: '宜',
};

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function generateCounty(input: GeneratorInput): GeneratedCounty {
  const next = random(input.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const rates = { notEnrolled: 0.01, absent: 0.005, nearDuplicate: 0.003, poor: 0.05, ...input.rates };
  const start = `${input.schoolYear}-08-31`;
  const usedIds = new Set<string>();
  const households: GeneratedChild[] = [];
  const roster: GeneratedPupil[] = [];
  const absences: GeneratedCounty['absences'] = [];
  const poverty: GeneratedCounty['poverty'] = [];
  const truth: GeneratedCounty['truth'] = { notEnrolled: [], absentByRule: [], nearDuplicates: [], poorPupils: [] };
  const schoolsOf = (township: string, grade: number) => {
    const stage = grade <= 6 ? 'primary' : 'junior';
    const local = input.schools.filter((s) => s.townshipCode === township && (s.stage === stage || s.stage === 'both'));
    return local.length ? local : input.schools.filter((s) => s.stage === stage || s.stage === 'both');
  };
  const recentDays = schoolDaysUpTo(input.lastSchoolDay, 30, input.calendar ?? WEEKDAYS_ONLY);

  for (let i = 0; i < input.children; i++) {
    const village = pick(input.villages);
    // ages 6–15 on 31 August: born between (Y-16)-09-01 and (Y-6)-08-31, spread over every day of
    // those ten years (a county of a million children needs the ID numbers that many days allow)
    const firstDay = Date.UTC(input.schoolYear - 16, 8, 1);
    const days = (Date.UTC(input.schoolYear - 6, 7, 31) - firstDay) / 86_400_000 + 1;
    const safeBirth = new Date(firstDay + Math.floor(next() * days) * 86_400_000).toISOString().slice(0, 10);
    const sex: 'male' | 'female' = next() < 0.52 ? 'male' : 'female';
    let id: string;
    do {
      const sequence =
        pad(Math.floor(next() * 100), 2) + String(sex === 'male' ? 2 * Math.floor(next() * 5) + 1 : 2 * Math.floor(next() * 5));
      const first17 = `${village.code.slice(0, 6)}${safeBirth.replace(/-/g, '')}${sequence}`;
      id = first17 + idNumberCheckCharacter(first17);
    } while (usedIds.has(id));
    usedIds.add(id);
    const name = pick(SURNAMES) + pick(GIVEN);
    const child: GeneratedChild = {
      idNumber: id,
      name,
      sex,
      birthDate: safeBirth,
      villageCode: village.code,
      guardianName: pick(SURNAMES) + pick(GIVEN),
      guardianPhone: `1${pick(['3', '5', '8'])}${pad(Math.floor(next() * 1e9), 9)}`,
    };
    households.push(child);

    const roll = next();
    if (roll < rates.notEnrolled) {
      truth.notEnrolled.push(id);
      continue;
    }
    // grade by age on 31 August: 6 → 1st grade … 14 → 9th; 15-year-olds finished 9th grade last year unless held back
    const years = Number(start.slice(0, 4)) - Number(safeBirth.slice(0, 4)) - (safeBirth.slice(5) > start.slice(5) ? 1 : 0);
    const grade = Math.min(9, Math.max(1, years - 5));
    const school = pick(schoolsOf(village.township, grade));
    const nearDuplicate =
      roll < rates.notEnrolled + rates.nearDuplicate && name.length >= 2 && LOOKALIKES[name[name.length - 1]!] !== undefined;
    // the near-duplicate is on the roster without its ID number, under a mistyped name
    const pupilName = nearDuplicate ? name.slice(0, -1) + LOOKALIKES[name[name.length - 1]!] : name;
    const studentNumber = nearDuplicate ? `L${id.slice(0, 6)}${safeBirth.replace(/-/g, '')}${pad(i % 10000, 4)}` : `G${id}`;
    roster.push({
      studentNumber,
      name: pupilName,
      sex,
      idNumber: nearDuplicate ? '' : id,
      school: school.name,
      grade,
      boarding: grade >= 7 && next() < 0.5,
      villageCode: village.code,
    });
    if (nearDuplicate) truth.nearDuplicates.push(studentNumber);

    if (next() < rates.poor) {
      poverty.push({ idNumber: id, name, category: pick(['脱贫户', '监测户', '低保'] as const) });
      // a pupil on the roster without an ID number cannot be matched to the list
      if (!nearDuplicate) truth.poorPupils.push(studentNumber);
    }
    const absence = next();
    if (!nearDuplicate && absence < rates.absent) {
      // planted: either 7 school days in a row or 20 of the last 30 (never 7 in a row)
      const days = next() < 0.5 ? recentDays.slice(-7) : recentDays.filter((_, k) => k % 3 !== 2).slice(-20);
      for (const day of days) absences.push({ studentNumber, day, excused: false });
      truth.absentByRule.push(studentNumber);
    } else if (absence < rates.absent * 6) {
      // noise below the rules: a few days, some excused
      for (const day of recentDays.filter(() => next() < 0.08).slice(0, 4)) absences.push({ studentNumber, day, excused: next() < 0.3 });
    }
  }
  // rows with a wrong check digit, as typed by hand
  const invalidHouseholds = households.slice(0, Math.max(1, Math.floor(input.children / 2000))).map((c) => {
    const wrong = c.idNumber.slice(0, 17) + (c.idNumber[17] === '0' ? '1' : '0');
    return { ...c, idNumber: wrong };
  });
  return { households, roster, absences, poverty, invalidHouseholds, truth };
}
