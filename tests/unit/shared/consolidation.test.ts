import { cohortEntryYear, consolidationOf, CONSOLIDATION_TARGET, intakeRequest, sumConsolidationParts } from '@baoxue/shared';

describe('巩固率 (consolidation rate)', () => {
  it('divides the grade-9 pupils by the intake adjusted for transfers in and out', () => {
    const result = consolidationOf({ graduates: 954, intake: 1000, transfersIn: 30, transfersOut: 30 });
    expect(result).toMatchObject({ rate: 0.954, gap: null, rag: 'green' });
    expect(result.formula).toBe('九年级在籍 954 ÷（一年级入学 1000 + 转入 30 − 转出 30） = 95.4%');
    expect(consolidationOf({ graduates: 16, intake: 20, transfersIn: 1, transfersOut: 2 }).rate).toBeCloseTo(16 / 19, 12);
    // transfers move the denominator both ways
    expect(consolidationOf({ graduates: 90, intake: 100, transfersIn: 0, transfersOut: 10 }).rate).toBe(1);
    expect(consolidationOf({ graduates: 90, intake: 80, transfersIn: 20, transfersOut: 0 }).rate).toBe(0.9);
  });

  it('is green from the goal of 95 %, amber within three points below, red further below', () => {
    const rag = (graduates: number) => consolidationOf({ graduates, intake: 1000, transfersIn: 0, transfersOut: 0 }).rag;
    expect(CONSOLIDATION_TARGET).toBe(0.95);
    expect([rag(1000), rag(950), rag(949), rag(920), rag(919)]).toEqual(['green', 'green', 'amber', 'amber', 'red']);
  });

  it('never guesses: no intake, no roster for the year or an empty cohort give no rate, with the reason', () => {
    expect(consolidationOf({ graduates: 10, intake: null, transfersIn: 1, transfersOut: 0 })).toMatchObject({
      rate: null,
      rag: null,
      gap: 'no_intake',
      formula: '九年级在籍 10 ÷（一年级入学 ？ + 转入 1 − 转出 0）',
    });
    expect(consolidationOf({ graduates: null, intake: 10, transfersIn: 0, transfersOut: 0 })).toMatchObject({
      rate: null,
      gap: 'no_roster',
    });
    expect(consolidationOf({ graduates: 0, intake: 3, transfersIn: 0, transfersOut: 3 })).toMatchObject({
      rate: null,
      gap: 'empty_cohort',
    });
  });

  it('sums a region’s counties over those that entered the intake, never a county’s graduates without it', () => {
    const counted = { graduates: 90, intake: 100, transfersIn: 3, transfersOut: 5 };
    const other = { graduates: 48, intake: 50, transfersIn: 5, transfersOut: 3 };
    const missing = { graduates: 70, intake: null, transfersIn: 9, transfersOut: 9 };
    expect(sumConsolidationParts([counted, missing, other])).toEqual({
      graduates: 138,
      intake: 150,
      transfersIn: 8,
      transfersOut: 8,
      countiesCounted: 2,
      countiesWithoutIntake: 1,
    });
    // no county counted: no intake and no grade-9 figure, so no rate
    const none = sumConsolidationParts([missing]);
    expect(none).toMatchObject({ graduates: null, intake: null, transfersIn: 0, transfersOut: 0, countiesWithoutIntake: 1 });
    expect(consolidationOf(none).gap).toBe('no_intake');
    // an earlier school year: the intakes are there, the grade-9 pupils are not
    expect(consolidationOf(sumConsolidationParts([{ ...counted, graduates: null }, other])).gap).toBe('no_roster');
    expect(sumConsolidationParts([])).toMatchObject({ intake: null, countiesCounted: 0, countiesWithoutIntake: 0 });
  });

  it('follows a cohort: graduating from grade 9 in school year Y ⇔ entered grade 1 in Y − 8', () => {
    expect(cohortEntryYear(2026)).toBe(2018);
  });

  it('validates the intake entry with Chinese messages naming the field', () => {
    const issues = (body: unknown) =>
      Object.fromEntries((intakeRequest.safeParse(body).error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]));
    expect(issues({ intake: -1, source: '年报' })).toEqual({ intake: '一年级入学人数不能为负数' });
    expect(issues({ intake: 10, source: 'x'.repeat(101) })).toEqual({ source: '数据来源最多100字' });
    expect(issues({ intake: 10, source: '年报', townships: [{ code: '411522101000', intake: -2 }] })).toEqual({
      'townships.0.intake': '乡镇入学人数不能为负数',
    });
    expect(intakeRequest.parse({ intake: 0, source: ' 2018年教育事业统计年报 ' })).toEqual({
      intake: 0,
      source: '2018年教育事业统计年报',
      townships: [],
    });
  });
});
