import { DEFAULT_COUNTY_SETTINGS, endOfChinaDay } from '@baoxue/shared';
import { deadline, DUE_LABELS } from '../../../server/src/modules/cases/case-steps';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const settings = DEFAULT_COUNTY_SETTINGS;
const from = new Date('2026-03-02T02:30:00Z');

describe('case deadlines (BRIEF §4 time limits)', () => {
  it('acknowledge a new tip within the county hours (24 h by default)', () => {
    expect(deadline('accept', from, settings).getTime() - from.getTime()).toBe(24 * HOUR);
    expect(deadline('accept', from, { ...settings, acknowledgeHours: 4 }).getTime() - from.getTime()).toBe(4 * HOUR);
  });

  it('verify, and a receiving school confirms, within the verify days', () => {
    expect(deadline('verify', from, settings).getTime() - from.getTime()).toBe(3 * DAY);
    expect(deadline('school_confirmation', from, { ...settings, verifyDays: 5 }).getTime() - from.getTime()).toBe(5 * DAY);
  });

  it('first home visit and the written notice by their own limits', () => {
    expect(deadline('first_visit', from, settings).getTime() - from.getTime()).toBe(3 * DAY);
    expect(deadline('notice', from, settings).getTime() - from.getTime()).toBe(15 * DAY);
  });

  it('attendance after a return: the school days of the window with their weekends', () => {
    // 30 school days are six weeks
    expect(deadline('attendance', from, settings).getTime() - from.getTime()).toBe(42 * DAY);
    expect(deadline('attendance', from, { ...settings, closeWindowDays: 10 }).getTime() - from.getTime()).toBe(14 * DAY);
    expect(deadline('attendance', from, { ...settings, closeWindowDays: 7 }).getTime() - from.getTime()).toBe(10 * DAY);
  });

  it('a notice deadline is the day the notice names, to its end in China', () => {
    const due = endOfChinaDay('2026-03-20');
    expect(deadline('notice_deadline', due, settings)).toEqual(due);
    expect(due.toISOString()).toBe('2026-03-20T15:59:59.999Z');
  });

  it('every deadline has a label', () => {
    for (const label of Object.values(DUE_LABELS)) expect(label).toMatch(/\S/);
  });
});
