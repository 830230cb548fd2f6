import {
  createInvitationRequest,
  createSchoolRequest,
  divisionCodeField,
  idNumberCheckCharacter,
  idNumberField,
  pageQuery,
  personNameField,
  redeemInvitationRequest,
  studentNumberField,
  textField,
  updateSchoolRequest,
} from '@baoxue/shared';
import { z } from 'zod';

/** Each issue as `path: message`, the way the error filter turns them into `fields`. */
function problems(result: z.ZodSafeParseResult<unknown>): string[] {
  if (result.success) throw new Error(`expected a failure, got ${JSON.stringify(result.data)}`);
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function valid<T>(result: z.ZodSafeParseResult<T>): T {
  if (!result.success) throw new Error(`expected success, got ${JSON.stringify(result.error.issues)}`);
  return result.data;
}

const SCHOOL_ID = '01938a6e-7c2d-7b3e-9f4a-1c2d3e4f5a6b';

describe('idNumberField', () => {
  it('turns full-width digits and surrounding spaces into the canonical number', () => {
    expect(valid(idNumberField.safeParse('１１０１０５１９４９１２３１００２Ｘ'))).toBe('11010519491231002X');
    expect(valid(idNumberField.safeParse('  11010519491231002x\u3000'))).toBe('11010519491231002X');
    expect(valid(idNumberField.safeParse('110105 19491231 002X'))).toBe('11010519491231002X');
  });

  it('gives the Chinese message of each problem, once', () => {
    const birth = '41152219991331123';
    expect(problems(idNumberField.safeParse(''))).toEqual([': 请填写身份证号']);
    expect(problems(idNumberField.safeParse('   '))).toEqual([': 请填写身份证号']);
    expect(problems(idNumberField.safeParse('110105491231002'))).toEqual([': 请填写18位身份证号（15位旧号码需换算为18位）']);
    expect(problems(idNumberField.safeParse('1101051949123100'))).toEqual([': 身份证号应为17位数字加1位校验码（数字或X）']);
    expect(problems(idNumberField.safeParse(birth + idNumberCheckCharacter(birth)))).toEqual([': 身份证号中的出生日期不是有效日期']);
    expect(problems(idNumberField.safeParse('110105194912310021'))).toEqual([': 身份证号校验位不正确，请核对']);
  });

  it('asks for the number when it is missing or not a string', () => {
    expect(problems(idNumberField.safeParse(undefined))).toEqual([': 请填写身份证号']);
    expect(problems(idNumberField.safeParse(110105194912310020))).toEqual([': 请填写身份证号']);
  });

  it('names the field inside a nested request, and stays optional where a request makes it so', () => {
    // The shape later tip and case requests will use: the ID number only if the tipster knows it.
    const request = z.object({ child: z.object({ idNumber: idNumberField.optional() }) });
    expect(problems(request.safeParse({ child: { idNumber: '110105194912310021' } }))).toEqual([
      'child.idNumber: 身份证号校验位不正确，请核对',
    ]);
    expect(valid(request.safeParse({ child: { idNumber: ' １１０１０５１９４９１２３１００２ｘ ' } }))).toEqual({
      child: { idNumber: '11010519491231002X' },
    });
    expect(valid(request.safeParse({ child: {} }))).toEqual({ child: {} });
  });
});

describe('studentNumberField', () => {
  it('normalises to the canonical 19 characters', () => {
    expect(valid(studentNumberField.safeParse(' g11010519491231002x '))).toBe('G11010519491231002X');
    expect(valid(studentNumberField.safeParse('ｌ４１１５２２２０１５０３０１ａ１ｂ２'))).toBe('L41152220150301A1B2');
  });

  it('passes the validator’s message through', () => {
    expect(problems(studentNumberField.safeParse('G110105194912310021'))).toEqual([
      ': G字头学籍号后18位应为有效身份证号：身份证号校验位不正确，请核对',
    ]);
    expect(problems(studentNumberField.safeParse(''))).toEqual([': 请填写学籍号']);
    expect(problems(studentNumberField.safeParse(null))).toEqual([': 请填写学籍号']);
  });
});

describe('divisionCodeField', () => {
  it('normalises full-width digits and spaces', () => {
    expect(valid(divisionCodeField.safeParse(' ４１１５２２１０１２０３ '))).toBe('411522101203');
    expect(valid(divisionCodeField.safeParse('411522 101000'))).toBe('411522101000');
  });

  it('refuses anything but 12 digits with one message', () => {
    for (const input of ['41152210120', '4115221012031', '41152210120X', '411522', '000000000000', '']) {
      expect(problems(divisionCodeField.safeParse(input))).toEqual([': 区划代码应为12位数字']);
    }
  });

  it('asks for a division when it is missing', () => {
    expect(problems(divisionCodeField.safeParse(undefined))).toEqual([': 请选择行政区划']);
    expect(problems(divisionCodeField.safeParse(411522101203))).toEqual([': 请选择行政区划']);
  });
});

describe('personNameField', () => {
  it('trims, folds full-width characters and collapses inner runs of spaces', () => {
    expect(valid(personNameField.safeParse('  王小明 '))).toBe('王小明');
    expect(valid(personNameField.safeParse('买买提\u3000 \t艾力'))).toBe('买买提 艾力');
    expect(valid(personNameField.safeParse('ＬＩ　Ｍｉｎｇ'))).toBe('LI Ming');
  });

  it('needs 2 to 20 characters, counted after trimming', () => {
    expect(valid(personNameField.safeParse('王五'))).toBe('王五');
    expect(valid(personNameField.safeParse('阿'.repeat(20)))).toBe('阿'.repeat(20));
    expect(problems(personNameField.safeParse('王'))).toEqual([': 姓名至少2个字']);
    expect(problems(personNameField.safeParse('  王  '))).toEqual([': 姓名至少2个字']);
    expect(problems(personNameField.safeParse('阿'.repeat(21)))).toEqual([': 姓名最多20个字']);
  });

  it('asks for the name when it is missing', () => {
    expect(problems(personNameField.safeParse(undefined))).toEqual([': 请填写姓名']);
  });

  it('refuses control characters, which would break exported ledgers', () => {
    expect(problems(personNameField.safeParse('张\u0000三'))).toEqual([': 姓名包含不可见的控制字符']);
    expect(problems(personNameField.safeParse('张\u001b三'))).toEqual([': 姓名包含不可见的控制字符']);
  });
});

describe('textField', () => {
  const note = textField('备注', 10);

  it('trims and collapses whitespace, including tabs and line breaks', () => {
    expect(valid(note.safeParse('  给 王\t\n书记  '))).toBe('给 王 书记');
  });

  it('keeps Chinese punctuation as typed (no compatibility folding of free text)', () => {
    const observation = textField('观察到的情况', 50);
    expect(valid(observation.safeParse('开学两周没来，在家带弟弟！真的？（听邻居说）'))).toBe(
      '开学两周没来，在家带弟弟！真的？（听邻居说）',
    );
  });

  it('counts its limits after normalising', () => {
    expect(valid(note.safeParse('一二三四五六七八九十'))).toBe('一二三四五六七八九十');
    expect(valid(note.safeParse('  一二三四五六七八九十  '))).toBe('一二三四五六七八九十');
    expect(problems(note.safeParse('一二三四五六七八九十一'))).toEqual([': 备注最多10个字']);
  });

  it('asks for the text when it is empty, blank or missing', () => {
    expect(problems(note.safeParse(''))).toEqual([': 请填写备注']);
    expect(problems(note.safeParse(' \u3000 '))).toEqual([': 请填写备注']);
    expect(problems(note.safeParse(undefined))).toEqual([': 请填写备注']);
  });

  it('states the minimum when it is above one', () => {
    const schoolName = textField('学校名称', 50, 4);
    expect(problems(schoolName.safeParse('小学'))).toEqual([': 学校名称至少4个字']);
    expect(valid(schoolName.safeParse('王湾小学'))).toBe('王湾小学');
  });

  it('drops characters that show nothing, so they cannot make a required text look filled', () => {
    const reason = textField('理由', 200, 5);
    expect(problems(reason.safeParse('\u200b\u200b\u200b\u200b\u200b'))).toEqual([': 理由至少5个字']);
    expect(problems(reason.safeParse('核\u200b实\u2060\ufeff'))).toEqual([': 理由至少5个字']);
    expect(valid(reason.safeParse('与\u00ad户籍核对身份'))).toBe('与户籍核对身份');
  });

  it('refuses control characters', () => {
    for (const control of ['\u0000', '\u0007', '\u001b', '\u007f']) {
      expect(problems(note.safeParse(`王${control}书记`))).toEqual([': 备注包含不可见的控制字符']);
    }
  });
});

describe('createInvitationRequest', () => {
  const township = { kind: 'division', code: '411522101000' } as const;
  const school = { kind: 'school', schoolId: SCHOOL_ID } as const;

  it('accepts a township cadre and fills the defaults', () => {
    expect(valid(createInvitationRequest.safeParse({ role: 'official', unit: township, position: 'cadre' }))).toEqual({
      role: 'official',
      unit: township,
      position: 'cadre',
      expiresInHours: 72,
    });
  });

  it('gives a supervisor at a school with a position the supervisor’s rules only, not contradicting ones', () => {
    expect(problems(createInvitationRequest.safeParse({ role: 'supervisor', unit: school, position: 'cadre' })).sort()).toEqual(
      ['position: 社会监督员不设职务', 'unit: 社会监督员应归属行政区划，而非学校'].sort(),
    );
  });

  it('accepts a supervisor of a village with no position', () => {
    expect(
      valid(createInvitationRequest.safeParse({ role: 'supervisor', unit: { kind: 'division', code: '４１１５２２１０１２０３' } })),
    ).toEqual({ role: 'supervisor', unit: { kind: 'division', code: '411522101203' }, position: null, expiresInHours: 72 });
  });

  it('accepts school staff of a school, with a normalised note and a coerced lifetime', () => {
    expect(
      valid(
        createInvitationRequest.safeParse({
          role: 'official',
          unit: school,
          position: 'school_staff',
          note: ' 给 王老师 ',
          expiresInHours: '48',
        }),
      ),
    ).toEqual({ role: 'official', unit: school, position: 'school_staff', note: '给 王老师', expiresInHours: 48 });
  });

  it('requires a position for an official', () => {
    expect(problems(createInvitationRequest.safeParse({ role: 'official', unit: township }))).toEqual(['position: 工作人员需选择职务']);
    expect(problems(createInvitationRequest.safeParse({ role: 'official', unit: township, position: null }))).toEqual([
      'position: 工作人员需选择职务',
    ]);
  });

  it('refuses a position for a supervisor', () => {
    expect(problems(createInvitationRequest.safeParse({ role: 'supervisor', unit: township, position: 'leader' }))).toEqual([
      'position: 社会监督员不设职务',
    ]);
  });

  it('refuses a school as a supervisor’s unit', () => {
    expect(problems(createInvitationRequest.safeParse({ role: 'supervisor', unit: school }))).toEqual([
      'unit: 社会监督员应归属行政区划，而非学校',
    ]);
  });

  it('requires a school unit for school staff, and school staff for a school unit', () => {
    expect(problems(createInvitationRequest.safeParse({ role: 'official', unit: township, position: 'school_staff' }))).toEqual([
      'unit: 学校教职工的单位应为学校',
    ]);
    expect(problems(createInvitationRequest.safeParse({ role: 'official', unit: school, position: 'cadre' }))).toEqual([
      'position: 学校单位的职务应为学校教职工',
    ]);
  });

  it('accepts a county admin of a division with no position (the server checks it is the county)', () => {
    const county = { kind: 'division', code: '411522000000' } as const;
    expect(valid(createInvitationRequest.safeParse({ role: 'county_admin', unit: county }))).toEqual({
      role: 'county_admin',
      unit: county,
      position: null,
      expiresInHours: 72,
    });
    expect(problems(createInvitationRequest.safeParse({ role: 'county_admin', unit: county, position: 'leader' }))).toEqual([
      'position: 县教育局管理员不设职务',
    ]);
    expect(problems(createInvitationRequest.safeParse({ role: 'county_admin', unit: school }))).toEqual([
      'unit: 县教育局管理员的单位应为本县',
    ]);
  });

  it('takes a region admin (市、省教育局) of a prefecture or province, without a position', () => {
    const prefecture = { kind: 'division', code: '411500000000' } as const;
    expect(valid(createInvitationRequest.safeParse({ role: 'region_admin', unit: prefecture }))).toMatchObject({ unit: prefecture });
    expect(
      valid(createInvitationRequest.safeParse({ role: 'region_admin', unit: { kind: 'division', code: '410000000000' } })),
    ).toMatchObject({
      role: 'region_admin',
    });
    expect(problems(createInvitationRequest.safeParse({ role: 'region_admin', unit: { kind: 'division', code: '411522000000' } }))).toEqual(
      ['unit.code: 上级教育局管理员的单位应为市或省'],
    );
    expect(problems(createInvitationRequest.safeParse({ role: 'region_admin', unit: prefecture, position: 'leader' }))).toEqual([
      'position: 上级教育局管理员不设职务',
    ]);
    expect(problems(createInvitationRequest.safeParse({ role: 'region_admin', unit: school }))).toEqual([
      'unit: 上级教育局管理员的单位应为本市或本省',
    ]);
  });

  it('refuses an unknown role, an unknown position and a missing unit', () => {
    expect(problems(createInvitationRequest.safeParse({ role: 'parent', unit: township }))).toEqual([
      'role: 请选择身份（社会监督员、工作人员、县教育局或上级教育局管理员）',
    ]);
    expect(problems(createInvitationRequest.safeParse({ role: 'official', unit: township, position: 'boss' }))).toEqual([
      'position: 请选择职务',
    ]);
    expect(problems(createInvitationRequest.safeParse({ role: 'official', position: 'cadre' }))).toEqual([
      'unit: 请选择所属单位（行政区划或学校）',
    ]);
  });

  it('names the offending part of the unit', () => {
    expect(
      problems(createInvitationRequest.safeParse({ role: 'official', position: 'cadre', unit: { kind: 'division', code: '4115' } })),
    ).toEqual(['unit.code: 区划代码应为12位数字']);
    expect(
      problems(createInvitationRequest.safeParse({ role: 'official', position: 'school_staff', unit: { kind: 'school', schoolId: '7' } })),
    ).toEqual(['unit.schoolId: 编号格式不正确']);
  });

  it('bounds the lifetime between 1 hour and 30 days, in whole hours', () => {
    const withHours = (expiresInHours: unknown) =>
      createInvitationRequest.safeParse({ role: 'official', unit: township, position: 'cadre', expiresInHours });
    expect(valid(withHours(1)).expiresInHours).toBe(1);
    expect(valid(withHours(720)).expiresInHours).toBe(720);
    expect(problems(withHours(0))).toEqual(['expiresInHours: 有效期至少1小时']);
    expect(problems(withHours(721))).toEqual(['expiresInHours: 有效期最长30天']);
    expect(problems(withHours('1.5'))).toEqual(['expiresInHours: 有效期应为整数小时']);
    expect(problems(withHours('三天'))).toEqual(['expiresInHours: 有效期应为数字']);
  });

  it('bounds the note to 50 characters', () => {
    expect(problems(createInvitationRequest.safeParse({ role: 'supervisor', unit: township, note: '字'.repeat(51) }))).toEqual([
      'note: 备注最多50个字',
    ]);
  });
});

describe('redeemInvitationRequest', () => {
  it('folds the typed code: full-width, spaces, dashes and case', () => {
    expect(valid(redeemInvitationRequest.safeParse({ code: ' ab-cd ｅｆ12 ', displayName: ' 李四 ' }))).toEqual({
      code: 'ABCDEF12',
      displayName: '李四',
      confirmRoleChange: false,
    });
  });

  it('takes a confirmation of a role change as a boolean only', () => {
    expect(
      valid(redeemInvitationRequest.safeParse({ code: 'ABCDEF12', displayName: '李四', confirmRoleChange: true })).confirmRoleChange,
    ).toBe(true);
    expect(problems(redeemInvitationRequest.safeParse({ code: 'ABCDEF12', displayName: '李四', confirmRoleChange: 'yes' }))).toEqual([
      'confirmRoleChange: 确认标记应为是或否',
    ]);
  });

  it('refuses an empty or overlong code', () => {
    expect(problems(redeemInvitationRequest.safeParse({ code: ' - ', displayName: '李四' }))).toEqual(['code: 请输入邀请码']);
    expect(problems(redeemInvitationRequest.safeParse({ code: 'A'.repeat(17), displayName: '李四' }))).toEqual(['code: 邀请码格式不正确']);
  });
});

describe('createSchoolRequest', () => {
  it('defaults the school code and address to null', () => {
    expect(valid(createSchoolRequest.safeParse({ name: '十里镇中心小学', stage: 'primary', divisionCode: '411522101000' }))).toEqual({
      name: '十里镇中心小学',
      stage: 'primary',
      code: null,
      divisionCode: '411522101000',
      address: null,
    });
  });

  it('normalises the 10-digit school code, the division code and the texts', () => {
    expect(
      valid(
        createSchoolRequest.safeParse({
          name: ' 光山县  十里镇 中心小学 ',
          stage: 'both',
          code: ' ４１１１２３４５６７ ',
          divisionCode: '411522101203',
          address: '十里镇\t吴明村',
        }),
      ),
    ).toEqual({
      name: '光山县 十里镇 中心小学',
      stage: 'both',
      code: '4111234567',
      divisionCode: '411522101203',
      address: '十里镇 吴明村',
    });
  });

  it('names every problem field with its message', () => {
    expect(problems(createSchoolRequest.safeParse({}))).toEqual([
      'name: 请填写学校名称',
      'stage: 请选择学段（小学、初中或九年一贯制）',
      'divisionCode: 请选择行政区划',
    ]);
    expect(problems(createSchoolRequest.safeParse({ name: '小学', stage: 'senior', code: '123', divisionCode: '4115221010' }))).toEqual([
      'name: 学校名称至少4个字',
      'stage: 请选择学段（小学、初中或九年一贯制）',
      'code: 学校标识码应为10位数字',
      'divisionCode: 区划代码应为12位数字',
    ]);
  });
});

describe('updateSchoolRequest', () => {
  it('refuses an empty change and accepts a single field', () => {
    expect(problems(updateSchoolRequest.safeParse({}))).toEqual([': 没有需要修改的内容']);
    expect(valid(updateSchoolRequest.safeParse({ stage: 'junior' }))).toEqual({ stage: 'junior' });
  });
});

describe('pageQuery', () => {
  it('defaults to 20 items and no cursor', () => {
    expect(valid(pageQuery.safeParse({}))).toEqual({ limit: 20 });
  });

  it('coerces the limit from the query string', () => {
    expect(valid(pageQuery.safeParse({ limit: '50', cursor: 'abc' }))).toEqual({ limit: 50, cursor: 'abc' });
    expect(valid(pageQuery.safeParse({ limit: '1' }))).toEqual({ limit: 1 });
    expect(valid(pageQuery.safeParse({ limit: '100' }))).toEqual({ limit: 100 });
  });

  it('bounds the limit between 1 and 100 whole items', () => {
    expect(problems(pageQuery.safeParse({ limit: '0' }))).toEqual(['limit: 每页至少1条']);
    expect(problems(pageQuery.safeParse({ limit: '101' }))).toEqual(['limit: 每页最多100条']);
    expect(problems(pageQuery.safeParse({ limit: '2.5' }))).toEqual(['limit: 每页条数应为整数']);
    expect(problems(pageQuery.safeParse({ limit: 'ten' }))).toEqual(['limit: 每页条数应为数字']);
  });

  it('refuses a cursor longer than 200 characters', () => {
    expect(valid(pageQuery.safeParse({ cursor: 'a'.repeat(200) })).cursor).toHaveLength(200);
    expect(problems(pageQuery.safeParse({ cursor: 'a'.repeat(201) }))).toEqual(['cursor: 分页参数不正确']);
  });
});
