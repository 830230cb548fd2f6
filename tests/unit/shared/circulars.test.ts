import { chineseDate, formatCircularNumber, publishCircularRequest, scorecardBasisText, scorecardValueText } from '@baoxue/shared';

describe('通报', () => {
  it('numbers a county’s 通报 as a document number of its year', () => {
    expect(formatCircularNumber({ code: '411522000000', name: '光山县' }, 2026, 3)).toBe('光山教通〔2026〕3号');
    expect(formatCircularNumber({ code: '411502000000', name: '浉河区' }, 2027, 12)).toBe('浉河教通〔2027〕12号');
    expect(formatCircularNumber({ code: '411522000000', name: null }, 2026, 1)).toBe('411522教通〔2026〕1号');
  });

  it('prints figures and dates as the scorecard shows them', () => {
    expect(scorecardValueText('share', 2 / 3)).toBe('66.7%');
    expect(scorecardValueText('hours', 4)).toBe('4.0小时');
    expect(scorecardValueText('count', 2)).toBe('2');
    expect(scorecardValueText('share', null)).toBe('—');
    expect(scorecardBasisText('share', { numerator: 2, denominator: 3 })).toBe('2/3');
    expect(scorecardBasisText('hours', { numerator: null, denominator: 5 })).toBe('5件');
    expect(chineseDate('2026-12-06')).toBe('2026年12月6日');
  });

  it('names the field of bad input in Chinese', () => {
    const valid = {
      title: '考核通报',
      by: 'township',
      from: '2026-09-01',
      to: '2026-11-30',
      idempotencyKey: '0193a5f0-0000-7000-8000-00000000c001',
    };
    expect(publishCircularRequest.safeParse(valid).success).toBe(true);
    const fieldOf = (body: object) => {
      const parsed = publishCircularRequest.safeParse({ ...valid, ...body });
      expect(parsed.success).toBe(false);
      return parsed.error!.issues.map((issue) => [issue.path.join('.'), issue.message]);
    };
    expect(fieldOf({ title: ' ' })).toEqual([['title', '通报标题至少2个字']]);
    expect(fieldOf({ from: '2026-12-01', to: '2026-11-30' })).toEqual([['to', '开始日期不能晚于结束日期']]);
    expect(fieldOf({ comment: '批'.repeat(1001) })).toEqual([['comment', '通报意见最多1000个字']]);
  });
});
