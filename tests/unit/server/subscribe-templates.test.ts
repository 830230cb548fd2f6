import { templateData } from '../../../server/src/modules/notifications/subscribe-templates';

describe('the 资助到账 subscribe message', () => {
  it('fits each value to WeChat’s limits: thing ≤ 20 characters, amount a number with 元', () => {
    const data = templateData('subsidy_paid', {
      thing1: '2024年春季学期家庭经济困难学生生活补助（寄宿生）',
      thing2: '陈寄宿',
      amount3: '312.5元',
      time4: '2024年04月02日 10:00',
    });
    expect([...data.thing1!].length).toBe(20);
    expect(data.thing1!.endsWith('…')).toBe(true);
    expect(data.amount3).toBe('312.5元');
  });

  it('refuses an amount WeChat would reject (47003) before it is queued', () => {
    expect(() =>
      templateData('subsidy_paid', { thing1: '生活补助', thing2: '陈寄宿', amount3: '三百元', time4: '2024年04月02日 10:00' }),
    ).toThrow(/not an amount/);
  });
});
