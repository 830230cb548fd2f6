import type { Me } from '@baoxue/shared';
import { PAGES, type PageUrl } from '../routes';

/**
 * The one navigation model (issue 16): each role's pages grouped by job. The phone home lists the
 * entries in this order; the desktop console's sidebar shows the groups and its breadcrumbs name the
 * group of the page on screen. A page belongs here once, in the group of the job it serves.
 */

export type PageKey = keyof typeof PAGES;

/**
 * A live figure an entry carries on the phone home (pages/home fetches it): the count of waiting
 * work changes the entry's title or description there.
 */
export type NavCounter =
  'triage' | 'inbox' | 'supervisorTips' | 'parentChildren' | 'parentEnrolment' | 'parentSchoolNotices' | 'parentNotices';

export interface NavEntry {
  title: string;
  description: string;
  page: PageKey;
  counter?: NavCounter;
  /** The phone home shows this entry as the large button above the menu rather than as a row. */
  lead?: boolean;
}

export interface NavGroup {
  /** The job: 案件, 名册与比对, 资助, 通知, 统计与报告, 设置, … */
  title: string;
  entries: readonly NavEntry[];
}

/** The groups of the signed-in user's pages, in the order the home lists them. */
export function navGroups(user: Me): NavGroup[] {
  switch (user.role) {
    case 'county_admin':
      return countyGroups();
    case 'region_admin':
      return regionGroups();
    case 'official':
      return user.unit?.kind === 'school' ? schoolGroups(user) : divisionGroups(user);
    case 'supervisor':
      return supervisorGroups();
    case 'parent':
      return parentGroups();
  }
}

/** Every entry of the user's groups in order: the phone home's menu. */
export function navEntries(user: Me): NavEntry[] {
  return navGroups(user).flatMap((group) => group.entries);
}

/** Where a page sits in the user's navigation: the group and entry naming it, if any. */
export function findNavEntry(user: Me, page: string): { group: NavGroup; entry: NavEntry } | undefined {
  const path = page.split('?')[0];
  for (const group of navGroups(user)) {
    const entry = group.entries.find((candidate) => PAGES[candidate.page] === path);
    if (entry) return { group, entry };
  }
  return undefined;
}

/** The page's URL of an entry. */
export function entryUrl(entry: NavEntry): PageUrl {
  return PAGES[entry.page];
}

function countyGroups(): NavGroup[] {
  return [
    {
      title: '案件',
      entries: [
        {
          title: '待分派线索',
          description: '居住地不清楚或被退回、需要人工分派的线索',
          page: 'countyTriage',
          counter: 'triage',
        },
        // the county sees every case of the county (the dashboard's figures open it filtered)
        { ...inboxEntry, description: '全县的线索和案件，可按状态、超期筛选' },
        dispatchEntry,
      ],
    },
    {
      title: '名册与比对',
      entries: [
        { title: '名册导入', description: '导入户籍、学籍、缺勤和困难家庭名单（Excel）', page: 'registryImport' },
        { title: '四查三比对', description: '比对名册，找出失学、辍学的孩子', page: 'crosscheck' },
        childReviewsEntry,
        { title: '休学审批', description: '学校登记的休学，核对证明材料后审批', page: 'countySuspensions' },
      ],
    },
    {
      title: '资助',
      entries: [{ title: '学生资助', description: '资助标准、资助对象、发放和投诉', page: 'subsidies' }],
    },
    {
      title: '通知',
      entries: [enrolmentEntry, followUpEntry, deferralsEntry, schoolNoticesEntry],
    },
    {
      title: '统计与报告',
      entries: [
        ledgerEntry,
        statsEntry,
        scorecardsEntry,
        dataQualityEntry,
        { title: '考核通报', description: '依考核排名发布的通报，发给各乡镇和各学校', page: 'circulars' },
        spotChecksEntry,
        { title: '整改验收', description: '督导抽查发现问题的整改事项：乡镇登记的整改情况，验收或退回', page: 'rectifications' },
        reportsEntry,
      ],
    },
    {
      title: '设置',
      entries: [
        { title: '时限与规则', description: '受理、核查、家访、通知书的时限和销号规则', page: 'countySettings' },
        { title: '校历', description: '学期、节假日、调休上课和本县停课补课安排', page: 'countyCalendar' },
        { title: '邀请码管理', description: '发放、查看和撤销监督员与工作人员的邀请码', page: 'invitations' },
        { title: '学校管理', description: '本县学校的名称、学段和所属乡镇', page: 'schools' },
        { title: '账号管理', description: '查看账号，停用或启用', page: 'accounts' },
        { title: '区划导入', description: '导入统计用区划代码文件（Excel 或 CSV）', page: 'divisionImport' },
        auditEntry,
      ],
    },
  ];
}

/** A township's or a village's officials. */
function divisionGroups(user: Me): NavGroup[] {
  const unit = user.unit?.kind === 'division' ? user.unit : undefined;
  // 一日一调度 is the township's (and the county's) daily list; villages work from the inbox.
  const dispatches = unit !== undefined && unit.level !== 'village' && (user.position === 'leader' || user.position === 'cadre');
  // township leaders decide on duplicate records of their township's children (as services/children.ts
  // canReviewChildren), read its audit log (services/audit.ts canReadAudit), see the scorecards and
  // receive 通报 (services/circulars.ts receivesCirculars)
  const leader = unit?.level === 'township' && user.position === 'leader';
  return withoutEmpty([
    { title: '案件', entries: [inboxEntry, ...(dispatches ? [dispatchEntry] : [])] },
    { title: '名册与比对', entries: leader ? [childReviewsEntry] : [] },
    { title: '通知', entries: [enrolmentEntry, followUpEntry, deferralsEntry, ...(leader ? [receivedCircularsEntry] : [])] },
    {
      title: '统计与报告',
      entries: [
        ledgerEntry,
        statsEntry,
        ...(leader ? [scorecardsEntry, dataQualityEntry, reportsEntry] : []),
        // a township's leaders and cadres rectify what a 督导 spot check found (services/spot-checks.ts)
        ...(unit?.level === 'township' && dispatches ? [rectificationsEntry] : []),
      ],
    },
    {
      title: '本单位',
      entries: [
        { title: unit ? `${unit.name}辖区` : '本单位', description: '下辖区划与辖区内学校', page: 'officialUnit' },
        ...(leader ? [auditEntry] : []),
      ],
    },
  ]);
}

/** A school's staff: the school line first (BRIEF §4a), then the cases of its pupils. */
function schoolGroups(user: Me): NavGroup[] {
  return [
    {
      title: '学校',
      entries: [
        { title: '学校工作台 · 点名', description: '今天的班级点名、缺勤跟进和请假审批', page: 'schoolHome', lead: true },
        { title: '缺勤待跟进', description: '连续缺勤的学生：联系家长、上报疑似辍学', page: 'schoolAlerts' },
        { title: '请假审批', description: '家长提交的请假', page: 'schoolLeave' },
        { title: '学籍异动', description: '转出、休学、迁出本县和转入确认', page: 'schoolChanges' },
      ],
    },
    { title: '案件', entries: [inboxEntry] },
    { title: '通知', entries: [enrolmentEntry, followUpEntry, schoolNoticesEntry, receivedCircularsEntry] },
    // a school's leader (校长) reports the school monthly to its township
    { title: '统计与报告', entries: [ledgerEntry, statsEntry, ...(user.position === 'leader' ? [reportsEntry] : [])] },
    {
      title: '本校',
      entries: [{ title: user.unit?.name ?? '本校', description: '学校信息', page: 'officialUnit' }],
    },
  ];
}

/** Above the county: figures of the region's counties, colleagues; nothing that reads a child. */
function regionGroups(): NavGroup[] {
  return [
    {
      title: '辖区',
      entries: [
        { title: '辖区概况', description: '各县辍学率对照目标、在办和逾期案件、本学年返校', page: 'regionOverview' },
        { title: '各县考核排名', description: '各县受理、核查、家访、逾期和返校情况排名（仅汇总数字）', page: 'scorecards' },
        { title: '各县季报', description: '各县定期报告的上报情况和主要数字，审核通过或退回', page: 'reports' },
        { title: '督导抽查', description: '各县抽查的销号案件，跨县核查孩子是否在校（不含儿童个人信息）', page: 'spotChecks' },
      ],
    },
    {
      title: '设置',
      entries: [
        { title: '邀请同事', description: '发放本辖区管理员的邀请码', page: 'regionColleagues' },
        { title: '个人资料', description: '修改您的姓名', page: 'profile' },
      ],
    },
  ];
}

function supervisorGroups(): NavGroup[] {
  return [
    {
      title: '线索',
      entries: [
        { title: '提交线索', description: '发现义务教育阶段的孩子疑似辍学，请及时报告', page: 'supervisorTipForm', lead: true },
        { title: '我的线索', description: '提交过的线索和办理进展', page: 'supervisorTips', counter: 'supervisorTips' },
      ],
    },
    { title: '账号', entries: accountEntries },
  ];
}

function parentGroups(): NavGroup[] {
  return [
    {
      title: '孩子',
      entries: [
        { title: '我的孩子', description: '用通知书上的绑定码和孩子姓名绑定', page: 'parentChildren', counter: 'parentChildren' },
        { title: '资助', description: '孩子应享的资助和每一笔发放', page: 'parentSubsidies' },
        { title: '请假', description: '孩子生病或有事不能上学，向班主任请假', page: 'parentLeave' },
      ],
    },
    {
      title: '通知',
      entries: [
        { title: '入学通知书', description: '报到时间、地点和材料，阅读后请回执', page: 'parentEnrolment', counter: 'parentEnrolment' },
        { title: '学校通知', description: '学校发给家长的通知', page: 'parentSchoolNotices', counter: 'parentSchoolNotices' },
        {
          title: '正式通知',
          description: '乡镇、学校发给您的《限期返校通知书》等，阅读后请确认收到',
          page: 'parentNotices',
          counter: 'parentNotices',
        },
      ],
    },
    { title: '账号', entries: accountEntries },
  ];
}

function withoutEmpty(groups: NavGroup[]): NavGroup[] {
  return groups.filter((group) => group.entries.length > 0);
}

const inboxEntry: NavEntry = { title: '收件箱', description: '本辖区的线索和案件', page: 'officialInbox', counter: 'inbox' };

const dispatchEntry: NavEntry = {
  title: '一日一调度',
  description: '逾期事项、逾期未接收的移交和待复查的孩子',
  page: 'countyDispatch',
};

const followUpEntry: NavEntry = {
  title: '入学通知书回执',
  description: '按学校和村查看未回执的家长，提醒回执',
  page: 'enrolmentFollowUp',
};

const enrolmentEntry: NavEntry = { title: '入学通知书', description: '批量发出、回执情况和打印', page: 'enrolmentBatches' };

const deferralsEntry: NavEntry = { title: '延缓入学审批', description: '家长因孩子身体原因提出的申请', page: 'deferrals' };

const schoolNoticesEntry: NavEntry = {
  title: '学校通知',
  description: '发给全校、年级或班级家长，查看阅读人数',
  page: 'schoolNotices',
};

const ledgerEntry: NavEntry = { title: '导出台账', description: '按时间和单位导出案件台账（Excel）', page: 'ledger' };

const statsEntry: NavEntry = { title: '辍学统计', description: '各单位辍学率对照国家目标，可导出 Excel', page: 'dropoutStats' };

const scorecardsEntry: NavEntry = {
  title: '考核排名',
  description: '各乡镇、学校的受理、核查、家访、逾期和返校情况排名',
  page: 'scorecards',
};

// county admins and township leaders (services/data-quality.ts canReadDataQuality)
const dataQualityEntry: NavEntry = {
  title: '数据质量',
  description: '疑似虚报或不可能成立的记录：集中登记家访、销号前后缺勤、日期早于立案等',
  page: 'dataQuality',
};

const reportsEntry: NavEntry = {
  title: '定期报告',
  description: '本单位的月报、季报：生成、说明、上报；下级报告的审核',
  page: 'reports',
};

const spotChecksEntry: NavEntry = {
  title: '督导抽查',
  description: '从销号案件中按乡镇随机抽查，登记孩子是否在校，导出结果',
  page: 'spotChecks',
};

const rectificationsEntry: NavEntry = {
  title: '整改事项',
  description: '督导抽查发现的问题：限期整改，登记整改情况',
  page: 'rectifications',
};

const receivedCircularsEntry: NavEntry = {
  title: '考核通报',
  description: '县教育局发布的各乡镇、学校考核排名通报',
  page: 'receivedCirculars',
};

const auditEntry: NavEntry = { title: '审计日志', description: '谁何时查阅、导出或修改了什么', page: 'auditLog' };

const childReviewsEntry: NavEntry = {
  title: '疑似重复儿童',
  description: '可能是同一个孩子的两条记录：核对后合并或否定',
  page: 'childReviews',
};

const accountEntries: readonly NavEntry[] = [
  { title: '输入邀请码', description: '使用县教育局发放的邀请码', page: 'redeemInvitation' },
  { title: '个人资料', description: '修改您的姓名', page: 'profile' },
];
