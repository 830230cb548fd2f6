import type { Connection } from 'mysql2/promise';
import { newId } from '../../server/src/common/ids';
import { insertRows } from './mysql';

/** Bulk data for the read benchmarks, written with multi-row INSERTs (how it is written is not measured). */

export const COUNTY = '411522000000';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟'.split('');
const GIVEN = '子涵浩宇欣怡梓萱俊杰雨桐思远佳怡晨阳一诺紫涵宇轩博文诗琪嘉怡欣然雅琪子轩浩然梦瑶家豪晓峰丽娜海燕志强'.match(/../g)!;

/** mulberry32: the same data for the same seed, run after run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Village {
  code: string;
  township: string;
}

export async function villagesWithTownships(db: Connection): Promise<Village[]> {
  const [rows] = await db.query(
    "SELECT code, parent_code AS township FROM divisions WHERE level = 'village' AND code LIKE '411522%' ORDER BY code",
  );
  return rows as Village[];
}

const CHILD_COLUMNS = [
  'id',
  'name',
  'name_key',
  'sex',
  'birth_year',
  'birth_year_exact',
  'village_code',
  'county_code',
  'grade',
  'student_number',
  'priority_groups',
  'created_at',
  'updated_at',
];

/**
 * `count` children over the villages; `pupils` of them on the roster (student number and grade 1–9),
 * 5 % of those from poor households. Returns the ids (in insertion order), the village of each and
 * whether it is in a priority group (1) or not (0).
 */
export async function insertChildren(
  db: Connection,
  villages: Village[],
  count: number,
  options: { pupils: boolean; seed: number; county?: string; firstNumber?: number },
): Promise<{ ids: string[]; villageOf: string[]; priorityOf: number[] }> {
  const county = options.county ?? COUNTY;
  const next = seeded(options.seed);
  const ids: string[] = [];
  const villageOf: string[] = [];
  const priorityOf: number[] = [];
  const now = new Date();
  function* rows() {
    for (let i = 0; i < count; i++) {
      const id = newId();
      const village = villages[Math.floor(next() * villages.length)]!.code;
      const name = SURNAMES[Math.floor(next() * SURNAMES.length)]! + GIVEN[Math.floor(next() * GIVEN.length)]!;
      const grade = 1 + Math.floor(next() * 9);
      const sex = next() < 0.52 ? 'male' : 'female';
      const poor = next() < 0.05;
      ids.push(id);
      villageOf.push(village);
      priorityOf.push(poor ? 1 : 0);
      yield [
        id,
        name,
        name,
        sex,
        2026 - 6 - grade,
        0,
        village,
        county,
        options.pupils ? grade : null,
        options.pupils ? `L${String((options.firstNumber ?? 0) + i).padStart(18, '0')}` : null,
        poor ? '["registered_poor"]' : '[]',
        now,
        now,
      ];
    }
  }
  await insertRows(db, 'children', CHILD_COLUMNS, rows(), 2000);
  // written past the product, so announced as its own writers do: the enrolment tallies recount
  if (options.pupils)
    await db.query('INSERT INTO enrolment_tally_changes (id, county_code, changed_at) VALUES (?, ?, ?)', [newId(), county, now]);
  return { ids, villageOf, priorityOf };
}

const CASE_COLUMNS = [
  'id',
  'child_id',
  'status',
  'source',
  'county_code',
  'township_code',
  'village_code',
  'routing_code',
  'opened_at',
  'due_at',
  'due_kind',
  'confirmed_at',
  'tip_count',
  'version',
  'causes',
  'priority',
];

const OPEN = ['reported', 'assigned', 'verifying', 'persuading'];
const CONFIRMED = ['confirmed', 'persuading', 'returned', 'closed'];

/**
 * `count` cases, one per child (the first `count` children), opened over the past year in id order;
 * `confirmedShare` of them confirmed as dropouts in the current school year. A case of a child in a
 * priority group has priority 1, as the product sets it.
 */
export async function insertCases(
  db: Connection,
  children: { ids: string[]; villageOf: string[]; priorityOf: number[] },
  villages: Village[],
  count: number,
  options: { seed: number; confirmedShare: number; county?: string },
): Promise<void> {
  const county = options.county ?? COUNTY;
  const next = seeded(options.seed);
  const townshipOf = new Map(villages.map((v) => [v.code, v.township]));
  const now = Date.now();
  const yearStart = Date.parse('2026-09-01T00:00:00+08:00');
  function* rows() {
    for (let i = 0; i < count; i++) {
      const village = children.villageOf[i]!;
      const opened = new Date(now - (count - i) * ((365 * 86_400_000) / count));
      const confirmed = next() < options.confirmedShare;
      const status = confirmed ? CONFIRMED[Math.floor(next() * CONFIRMED.length)]! : OPEN[Math.floor(next() * OPEN.length)]!;
      yield [
        newId(),
        children.ids[i],
        status,
        next() < 0.7 ? 'tip' : 'cross_check',
        county,
        townshipOf.get(village),
        village,
        village,
        opened,
        new Date(now + (next() - 0.3) * 10 * 86_400_000),
        'accept',
        confirmed ? new Date(yearStart + next() * (now - yearStart)) : null,
        1,
        1,
        confirmed ? '["poverty"]' : null,
        children.priorityOf[i],
      ];
    }
  }
  await insertRows(db, 'cases', CASE_COLUMNS, rows(), 2000);
}
