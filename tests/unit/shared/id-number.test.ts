import { idNumberCheckCharacter, maskIdNumber, parseIdNumber } from '@baoxue/shared';

const TODAY = new Date('2026-11-23T00:00:00Z');

function withCheck(first17: string): string {
  return first17 + idNumberCheckCharacter(first17);
}

describe('parseIdNumber (GB 11643-1999)', () => {
  it('accepts the reference number 11010519491231002X', () => {
    const result = parseIdNumber('11010519491231002X', TODAY);
    expect(result).toEqual({ ok: true, value: '11010519491231002X', areaCode: '110105', birthDate: '1949-12-31', sex: 'female' });
  });

  it('computes every check character from the weights', () => {
    // One number per possible remainder, so each entry of 1 0 X 9 8 7 6 5 4 3 2 is exercised.
    const seen = new Set<string>();
    for (let seq = 0; seen.size < 11 && seq < 1000; seq++) {
      const first17 = `41152220150301${String(seq).padStart(3, '0')}`;
      const check = idNumberCheckCharacter(first17);
      seen.add(check);
      expect(parseIdNumber(first17 + check, TODAY).ok).toBe(true);
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it('rejects a wrong check digit', () => {
    expect(parseIdNumber('110105194912310021', TODAY)).toMatchObject({ ok: false, problem: 'check_digit' });
    expect(parseIdNumber('110105194912310021', TODAY)).toMatchObject({ message: '身份证号校验位不正确，请核对' });
  });

  it('rejects 19991331 and other impossible birth dates', () => {
    expect(parseIdNumber(withCheck('41152219991331123'), TODAY)).toMatchObject({ ok: false, problem: 'birth_date' });
    expect(parseIdNumber(withCheck('41152220150229123'), TODAY)).toMatchObject({ ok: false, problem: 'birth_date' });
    expect(parseIdNumber(withCheck('41152220160229123'), TODAY).ok).toBe(true);
    expect(parseIdNumber(withCheck('41152218991231123'), TODAY)).toMatchObject({ ok: false, problem: 'birth_date' });
  });

  it('rejects a birth date in the future', () => {
    expect(parseIdNumber(withCheck('41152220261124123'), TODAY)).toMatchObject({ ok: false, problem: 'birth_date' });
    expect(parseIdNumber(withCheck('41152220261123123'), TODAY).ok).toBe(true);
  });

  it('normalises full-width digits, surrounding spaces and a lower-case x', () => {
    expect(parseIdNumber('１１０１０５１９４９１２３１００２Ｘ', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('  11010519491231002x \t', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(parseIdNumber('110105 19491231 002X', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it('explains 15-digit numbers, wrong lengths and letters', () => {
    expect(parseIdNumber('110105491231002', TODAY)).toMatchObject({ ok: false, problem: 'fifteen_digits' });
    expect(parseIdNumber('1101051949123100', TODAY)).toMatchObject({ ok: false, problem: 'format' });
    expect(parseIdNumber('1101051949123100211', TODAY)).toMatchObject({ ok: false, problem: 'format' });
    expect(parseIdNumber('11010519491231X02X', TODAY)).toMatchObject({ ok: false, problem: 'format' });
    expect(parseIdNumber('', TODAY)).toMatchObject({ ok: false, problem: 'empty' });
    expect(parseIdNumber('   ', TODAY)).toMatchObject({ ok: false, problem: 'empty' });
  });

  it('accepts an unknown leading area code', () => {
    expect(parseIdNumber(withCheck('99999920150301123'), TODAY).ok).toBe(true);
  });

  it('reads the sex from the 17th digit', () => {
    expect(parseIdNumber(withCheck('41152220150301123'), TODAY)).toMatchObject({ sex: 'male' });
    expect(parseIdNumber(withCheck('41152220150301124'), TODAY)).toMatchObject({ sex: 'female' });
  });

  it('masks all but the area code and the last four characters', () => {
    expect(maskIdNumber('411522201503011238')).toBe('411522********1238');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
});
