import {
  COMPLAINT_ACTIONS,
  COMPLAINT_TRANSITIONS,
  mayTakeRecordAction,
  policyRowRoles,
  READ_RELATION,
  RECORD_ACTIONS,
  RECORD_POLICY,
  recordActionRoles,
  RecordActor,
  ROUTE_POLICIES,
  type ComplaintTransition,
  type RecordAction,
} from '@baoxue/shared';

const ACTORS = Object.values(RecordActor);

/**
 * BRIEF §1, §5 and §6, written out by hand: for every action on a record other than a case (and for
 * reading each kind of record, cases too), the actors who may take it (letters in ACTORS' order: county admin, division leader, division cadre,
 * school staff, school head (校长), class teacher (班主任), guardian, supervisor, region admin (市、省教育局)), the division levels that count, and the refusal users read today.
 */
const WHO: Record<RecordAction, { who: string; levels?: string[]; refusal: string }> = {
  decide_deferral: { who: 'ALC......', levels: ['township'], refusal: '延缓入学由乡镇人民政府或县教育局审批' },
  accept_complaint: { who: 'A........', refusal: '受理由县学生资助管理中心进行' },
  answer_complaint: { who: 'A........', refusal: '答复由县学生资助管理中心进行' },
  reopen_complaint: { who: '......G..', refusal: '继续反映由家长进行' },
  close_complaint: { who: 'A.....G..', refusal: '办结由家长或县学生资助管理中心进行' },
  manage_subsidy_policies: { who: 'A........', refusal: '本县资助标准由县学生资助管理中心制定' },
  manage_eligibility: { who: 'A........', refusal: '资助对象由县学生资助管理中心认定' },
  import_payments: { who: 'A........', refusal: '资助发放表由县学生资助管理中心导入' },
  export_ledger_ids: { who: 'A........', refusal: '只有县教育局可以导出完整身份证号' },
  read_dispatch: { who: 'ALC......', refusal: '调度清单仅对县教育局和乡镇负责人开放' },
  review_children: { who: 'AL.......', levels: ['township'], refusal: '只有县教育局或乡镇负责人可以核对、合并和拆分儿童记录' },
  issue_enrolment_notices: { who: 'A..S.....', refusal: '入学通知书由县教育局或学校发出' },
  send_school_notice: { who: '...S.....', refusal: '学校通知只能由学校教职工发出' },
  upload_tip_evidence: { who: '.......P.', refusal: '您不能上传此类照片' },
  upload_deferral_document: { who: '......G..', refusal: '您不能上传此类照片' },
  issue_invitations: { who: 'A.......R', refusal: '只有县教育局可以发放和撤销邀请码' },
  manage_schools: { who: 'A........', refusal: '只有县教育局可以新增和修改学校' },
  import_divisions: { who: 'A........', refusal: '只有县教育局可以导入本县的区划代码' },
  import_registry: { who: 'A........', refusal: '只有县教育局可以导入名册' },
  run_crosscheck: { who: 'A........', refusal: '只有县教育局可以进行四查三比对' },
  read_case: { who: 'ALCS.....', refusal: '您无权查看案件' },
  read_tip: { who: '.......P.', refusal: '只能查看自己提交的线索' },
  read_child: { who: 'ALCS..G..', refusal: '您无权查看该儿童的信息' },
  read_deferral: { who: 'ALC......', refusal: '延缓入学申请仅对县教育局和乡镇、村干部开放' },
  read_enrolment_notice: { who: 'ALCS..G..', refusal: '您无权查看入学通知书' },
  read_school_notice: { who: 'ALCS.....', levels: ['county'], refusal: '您无权查看学校通知' },
  read_account: { who: 'A........', refusal: '只有县教育局可以查看本县账号' },
  read_invitation: { who: 'A.......R', refusal: '只有县教育局可以查看邀请码' },
  read_eligibility: { who: 'A........', refusal: '资助对象名单仅对县学生资助管理中心开放' },
  read_payment: { who: 'A........', refusal: '资助发放记录仅对县学生资助管理中心开放' },
  read_complaint: { who: 'A.....G..', refusal: '资助投诉仅对家长和县学生资助管理中心开放' },
  read_transfer: { who: '.LCS.....', levels: ['township'], refusal: '只有接收移交的乡镇或学校可以处理移交' },
  read_stats: { who: 'ALCS....R', refusal: '您无权查看辍学统计' },
  read_dashboard: { who: 'AL.......', levels: ['township'], refusal: '工作台仅对县教育局和乡镇负责人开放' },
  read_audit: { who: 'AL.......', levels: ['township'], refusal: '审计日志仅对县教育局和乡镇负责人开放' },
  read_access_history: { who: '......G..', refusal: '只有绑定孩子的家长可以查看孩子信息的查阅记录' },
  upload_leave_note: { who: '......G..', refusal: '您不能上传此类照片' },
  upload_pupil_change_document: { who: '...S.....', refusal: '您不能上传此类照片' },
  // the school line (BRIEF §4a): a school's head keeps every class, a 班主任 their own
  manage_calendar: { who: 'A........', refusal: '校历由县教育局维护' },
  manage_cohort_intake: { who: 'A........', refusal: '往年入学人数由县教育局填报' },
  manage_classes: { who: '....H....', refusal: '班主任由学校负责人指定' },
  take_roll_call: { who: '....HT...', refusal: '只有本班班主任或学校负责人可以点名' },
  request_leave: { who: '......G..', refusal: '只有绑定孩子的家长可以为孩子请假' },
  decide_leave: { who: '....HT...', refusal: '请假由班主任或学校负责人审批' },
  follow_absence: { who: '....HT...', refusal: '缺勤学生由班主任或学校负责人跟进和上报' },
  record_pupil_change: { who: '...S.....', refusal: '学籍异动由学生所在学校登记' },
  confirm_transfer_in: { who: '...S.....', refusal: '转学由接收学校确认' },
  decide_suspension: { who: 'A........', refusal: '休学由县教育局审批' },
  read_class: { who: '....HT...', refusal: '您无权查看该班级' },
  read_roll_call: { who: '....HT...', refusal: '您无权查看该班级的点名记录' },
  read_leave: { who: '....HTG..', refusal: '请假记录仅对家长、班主任和学校负责人开放' },
  read_absence_alert: { who: '....HT...', refusal: '缺勤跟进仅对班主任和学校负责人开放' },
  read_pupil_change: { who: 'A..S.....', refusal: '学籍异动仅对相关学校和县教育局开放' },
  // above the county (BRIEF §1, §5a): aggregates only
  read_region: { who: '........R', refusal: '区域概览仅对市、省教育局开放' },
  read_scorecard: { who: 'AL......R', levels: ['township'], refusal: '考核排名仅对县教育局、乡镇负责人和市、省教育局开放' },
  // 数据质量: the county's records that look fabricated, a township's leaders their township's
  read_data_quality: { who: 'AL.......', levels: ['township'], refusal: '数据质量检查仅对县教育局和乡镇负责人开放' },
  // 通报: published by the county to every township leader and every school's staff
  publish_circular: { who: 'A........', refusal: '通报由县教育局发布' },
  read_circular: { who: 'AL.S.....', levels: ['township'], refusal: '通报仅对县教育局、乡镇负责人和学校教职工开放' },
  // periodic reports: a unit's own leadership submits, the level above reviews (the service narrows to the unit)
  submit_report: { who: 'AL..H....', levels: ['township'], refusal: '定期报告由学校负责人、乡镇负责人或县教育局上报' },
  review_report: { who: 'AL......R', levels: ['township'], refusal: '定期报告由上一级（乡镇负责人、县教育局或市、省教育局）审核' },
  read_report: { who: 'AL..H...R', levels: ['township'], refusal: '定期报告仅对报告单位及其上级开放' },
  // 督导 spot checks: the county draws; its own or a region's inspectors record findings; townships rectify, the county accepts
  draw_spot_check: { who: 'A........', refusal: '督导抽查由县教育局抽样' },
  inspect_spot_check: { who: 'A.......R', refusal: '督导核查由县教育局或市、省教育局进行' },
  read_spot_check: { who: 'A.......R', refusal: '督导抽查仅对县教育局和市、省教育局开放' },
  report_rectification: { who: '.LC......', levels: ['township'], refusal: '整改情况由乡镇负责人或乡镇干部登记' },
  review_rectification: { who: 'A........', refusal: '整改由县教育局验收' },
  read_rectification: { who: 'ALC......', levels: ['township'], refusal: '整改事项仅对县教育局和乡镇开放' },
};

const letters = (actors: readonly string[]) => ACTORS.map((a, i) => (actors.includes(a) ? 'ALCSHTGPR'[i] : '.')).join('');

describe('the policy for records other than cases', () => {
  it('has a row with a Chinese refusal and a hand-checked answer for every action', () => {
    expect([...RECORD_ACTIONS].sort()).toEqual(Object.keys(WHO).sort());
    for (const action of RECORD_ACTIONS) {
      const rule = RECORD_POLICY[action];
      expect([action, letters(rule.who)]).toEqual([action, WHO[action].who]);
      expect([action, rule.levels]).toEqual([action, WHO[action].levels]);
      expect([action, rule.refusal]).toEqual([action, WHO[action].refusal]);
    }
  });

  it('lets exactly the actors of a row take its action', () => {
    for (const action of RECORD_ACTIONS) {
      for (const actor of ACTORS)
        expect([action, actor, mayTakeRecordAction(action, new Set([actor]))]).toEqual([
          action,
          actor,
          RECORD_POLICY[action].who.includes(actor),
        ]);
      expect(mayTakeRecordAction(action, new Set())).toBe(false);
    }
  });

  it('derives the complaint rows from the sides of the complaint transitions', () => {
    for (const transition of Object.keys(COMPLAINT_TRANSITIONS) as ComplaintTransition[]) {
      const rule = RECORD_POLICY[COMPLAINT_ACTIONS[transition]];
      expect(rule.record).toBe('complaint');
      expect(mayTakeRecordAction(COMPLAINT_ACTIONS[transition], new Set(['guardian']))).toBe(
        COMPLAINT_TRANSITIONS[transition].by.includes('parent'),
      );
      expect(mayTakeRecordAction(COMPLAINT_ACTIONS[transition], new Set(['county_admin']))).toBe(
        COMPLAINT_TRANSITIONS[transition].by.includes('county'),
      );
    }
  });

  it('gives the roles of a route’s first filter from its actions’ rows', () => {
    expect(recordActionRoles('read_dispatch')).toEqual(['official', 'county_admin']);
    expect(recordActionRoles('export_ledger_ids')).toEqual(['county_admin']);
    expect(recordActionRoles('send_school_notice')).toEqual(['official']);
    expect(recordActionRoles('reopen_complaint')).toEqual(['parent']);
    expect(recordActionRoles('accept_complaint', 'reopen_complaint')).toEqual(['parent', 'county_admin']);
    expect(recordActionRoles('upload_tip_evidence', 'upload_deferral_document')).toEqual(['parent', 'supervisor']);
    expect(recordActionRoles(...RECORD_ACTIONS)).toEqual(['parent', 'supervisor', 'official', 'county_admin', 'region_admin']);
    expect(recordActionRoles('read_region')).toEqual(['region_admin']);
  });

  it('reaches what each actor reads by one relation', () => {
    expect(READ_RELATION).toEqual({
      county_admin: 'county',
      division_leader: 'division',
      division_cadre: 'division',
      school_staff: 'school',
      school_leader: 'school',
      class_teacher: 'class',
      guardian: 'bound_child',
      supervisor: 'own',
      region_admin: 'region',
    });
  });

  it('gives the roles of a policy row of either table, and none for a row it does not have', () => {
    expect(policyRowRoles({ record: 'review_children' })).toEqual(['official', 'county_admin']);
    expect(policyRowRoles({ record: 'read_tip' })).toEqual(['supervisor']);
    expect(policyRowRoles({ case: 'route' })).toEqual(['county_admin']);
    expect(policyRowRoles({ case: 'confirm_enrolment' })).toEqual(['official']);
    expect(policyRowRoles({ case: 'reveal_tipster' })).toEqual(['official', 'county_admin']);
    expect(policyRowRoles({ case: 'toString' as never })).toBeNull();
    expect(policyRowRoles({ record: 'read_everything' as never })).toBeNull();
  });

  it('names in the route table only rows the policy has', () => {
    const named = Object.values(ROUTE_POLICIES);
    expect(named.length).toBeGreaterThan(0);
    for (const row of named) expect([row, policyRowRoles(row)]).toEqual([row, expect.any(Array)]);
  });

  it('names the field a refused ledger export or upload asked for', () => {
    expect(RECORD_POLICY.export_ledger_ids.fields).toEqual({ revealIds: '无权导出完整身份证号' });
    expect(RECORD_POLICY.upload_tip_evidence.fields).toEqual({ purpose: '上传用途与您的身份不符' });
    expect(RECORD_POLICY.upload_deferral_document.fields).toEqual({ purpose: '上传用途与您的身份不符' });
  });
});
