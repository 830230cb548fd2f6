import type { ReactNode } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { regionBureauName, TIP_MILESTONES } from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { Menu, type MenuEntry } from '../../components/menu';
import { Screen } from '../../components/screen';
import { ErrorNotice, Loading } from '../../components/status';
import { DashboardPanel } from '../../components/dashboard';
import { UserCard } from '../../components/user-card';
import { useCurrentUser } from '../../hooks/use-current-user';
import { useLoader } from '../../hooks/use-loader';
import { useOnReturn } from '../../hooks/use-on-return';
import { useStore } from '../../hooks/use-store';
import { useUnreadBadge } from '../../hooks/use-unread-badge';
import { PAGES } from '../../routes';
import { formatCount, inboxSummary, triageSummary } from '../../services/cases';
import { dashboardApi, hasDashboard } from '../../services/dashboard';
import { noticesApi } from '../../services/notices';
import { parentSummary } from '../../services/parent-summary';
import { rollCallOutbox } from '../../services/roll-call-outbox';
import { tipOutbox } from '../../services/tip-outbox';
import { tipsApi } from '../../services/tips';
import { formatDateTime } from '../../utils/format';
import { unitName } from '../../utils/labels';
import { openPage } from '../../utils/navigation';

/** The role home: who you are and the work that exists for your role today. */
export default function HomePage() {
  const user = useCurrentUser();
  useUnreadBadge();
  return (
    <Screen className="home">
      {user ? (
        <>
          <UserCard user={user} />
          <RoleSection user={user} />
        </>
      ) : (
        <Loading />
      )}
    </Screen>
  );
}

function RoleSection({ user }: { user: Me }) {
  switch (user.role) {
    case 'region_admin':
      return (
        <Section
          title={user.unit?.kind === 'division' ? regionBureauName(user.unit.name, user.unit.code) : '上级教育局'}
          note="辖区各县的辍学率和案件办理情况，只有汇总数字。"
        >
          <RegionMenu />
        </Section>
      );
    case 'county_admin':
      return (
        <>
          <HomeDashboard />
          <Section title="县级管理">
            <CountyMenu />
          </Section>
        </>
      );
    case 'official':
      return (
        <>
          {hasDashboard(user) && <HomeDashboard />}
          <Section title="本单位">
            <OfficialMenu user={user} />
          </Section>
        </>
      );
    case 'supervisor':
      return (
        <Section title="社会监督员" note={user.unit ? `您是${unitName(user.unit)}的社会监督员。` : undefined}>
          <SupervisorMenu user={user} />
        </Section>
      );
    case 'parent':
      return (
        <Section title="家长" note="如果县教育局邀请您担任社会监督员或工作人员，请在下方输入邀请码。">
          <ParentMenu />
        </Section>
      );
  }
}

function Section({ title, note, children }: { title: string; note?: string; children: ReactNode }) {
  return (
    <View className="section">
      <Text className="section-title">{title}</Text>
      {note && <Text className="section-note">{note}</Text>}
      {children}
    </View>
  );
}

/** The county's or the township's figures first (工作台), each opening its list; the menu follows. */
function HomeDashboard() {
  const dashboard = useSummary(() => dashboardApi.get());
  const data = dashboard.data;
  return (
    <Section title="工作台" note={data ? `${data.unitName} · 截至${formatDateTime(data.generatedAt)}` : undefined}>
      {data ? (
        <DashboardPanel dashboard={data} />
      ) : dashboard.error ? (
        <ErrorNotice message={dashboard.error} onRetry={() => void dashboard.reload()} />
      ) : (
        <Loading />
      )}
    </Section>
  );
}

/** Counts on the home page refresh whenever the person comes back to it. */
function useSummary<T>(load: () => Promise<T>) {
  const summary = useLoader(load, []);
  useOnReturn(() => void summary.reload());
  return summary;
}

function SupervisorMenu({ user }: { user: Me }) {
  const mine = useSummary(() => tipsApi.mine({ limit: 1 }));
  const waiting = tipOutbox.queued(user.id, useStore(tipOutbox.store)).length;
  const stats = mine.data?.stats;
  const record = stats
    ? `已提交 ${stats.sent} 条 · 确认辍学 ${stats.confirmed} · ${TIP_MILESTONES.returned} ${stats.returned}`
    : '提交过的线索和办理进展';

  return (
    <>
      <Button className="btn btn-primary btn-block btn-large" onClick={() => openPage(PAGES.supervisorTipForm)}>
        提交线索
      </Button>
      <Text className="section-note">发现义务教育阶段的孩子疑似辍学，请及时报告。没有网络也可以填写提交。</Text>
      <Menu
        entries={[
          {
            title: waiting ? `我的线索（${waiting} 条待发送）` : '我的线索',
            description: record,
            onClick: () => openPage(PAGES.supervisorTips),
          },
          ...accountEntries,
        ]}
      />
    </>
  );
}

function ParentMenu() {
  const notices = useSummary(() => noticesApi.mine());
  const summary = useSummary(parentSummary).data;
  const waiting = notices.data?.items.filter((notice) => notice.acknowledgedAt === null).length ?? 0;
  const counted = (title: string, count: number | undefined, unit: string) => (count ? `${title}（${count} ${unit}）` : title);
  return (
    <Menu
      entries={[
        {
          title: summary?.children === 0 ? '绑定孩子' : '我的孩子',
          description: '用通知书上的绑定码和孩子姓名绑定',
          onClick: () => openPage(summary?.children === 0 ? PAGES.parentBind : PAGES.parentChildren),
        },
        {
          title: counted('入学通知书', summary?.enrolmentPending, '份待回执'),
          description: '报到时间、地点和材料，阅读后请回执',
          onClick: () => openPage(PAGES.parentEnrolment),
        },
        {
          title: counted('学校通知', summary?.schoolUnread, '条未读'),
          description: '学校发给家长的通知',
          onClick: () => openPage(PAGES.parentSchoolNotices),
        },
        { title: '资助', description: '孩子应享的资助和每一笔发放', onClick: () => openPage(PAGES.parentSubsidies) },
        { title: '请假', description: '孩子生病或有事不能上学，向班主任请假', onClick: () => openPage(PAGES.parentLeave) },
        {
          title: waiting ? `正式通知（${waiting} 份待回执）` : '正式通知',
          description: '乡镇、学校发给您的《限期返校通知书》等，阅读后请确认收到',
          onClick: () => openPage(PAGES.parentNotices),
        },
        ...accountEntries,
      ]}
    />
  );
}

function OfficialMenu({ user }: { user: Me }) {
  const inbox = useSummary(() => inboxSummary());
  const counts = inbox.data
    ? `待受理 ${formatCount(inbox.data.pending)} 件${inbox.data.overdue ? ` · 已超期 ${inbox.data.overdue} 件` : ''}`
    : '本辖区的线索和案件';
  // 一日一调度 is the township's (and the county's) daily list; villages and schools work from the inbox.
  const dispatches =
    user.unit?.kind === 'division' && user.unit.level !== 'village' && (user.position === 'leader' || user.position === 'cadre');
  // township leaders decide on duplicate records of the children of their township (as services/children.ts canReviewChildren)
  const reviewsChildren = user.unit?.kind === 'division' && user.unit.level === 'township' && user.position === 'leader';
  const menu = (
    <Menu
      entries={[
        ...(user.unit?.kind === 'school' ? schoolEntries : []),
        { title: '收件箱', description: counts, onClick: () => openPage(PAGES.officialInbox) },
        ...(dispatches ? [dispatchEntry] : []),
        followUpEntry,
        enrolmentEntry,
        ...(user.unit?.kind === 'school' ? [schoolNoticesEntry] : [deferralsEntry]),
        ledgerEntry,
        statsEntry,
        // the same leaders read their township's audit log (as services/audit.ts canReadAudit)
        ...(reviewsChildren ? [childReviewsEntry, auditEntry, scorecardsEntry] : []),
        // 通报 reach township leaders and every school (as services/circulars.ts receivesCirculars)
        ...(reviewsChildren || user.unit?.kind === 'school' ? [receivedCircularsEntry] : []),
        officialEntry(user),
      ]}
    />
  );
  return user.unit?.kind === 'school' ? <SchoolStart user={user}>{menu}</SchoolStart> : menu;
}

/** School staff start their day with the roll call: the school's pages are a subpackage, only the way in is here. */
function SchoolStart({ user, children }: { user: Me; children: ReactNode }) {
  const waiting = rollCallOutbox.queued(user.id, useStore(rollCallOutbox.store)).length;
  return (
    <>
      <Button className="btn btn-primary btn-block btn-large" onClick={() => openPage(PAGES.schoolHome)}>
        学校工作台 · 点名
      </Button>
      <Text className="section-note">
        {waiting ? `${waiting} 份点名保存在手机上，联网后自动提交。` : '今天的班级点名、缺勤跟进和请假审批。没有网络也可以点名。'}
      </Text>
      {children}
    </>
  );
}

const schoolEntries: MenuEntry[] = [
  { title: '缺勤待跟进', description: '连续缺勤的学生：联系家长、上报疑似辍学', onClick: () => openPage(PAGES.schoolAlerts) },
  { title: '请假审批', description: '家长提交的请假', onClick: () => openPage(PAGES.schoolLeave) },
  { title: '学籍异动', description: '转出、休学、迁出本县和转入确认', onClick: () => openPage(PAGES.schoolChanges) },
];

function CountyMenu() {
  const triage = useSummary(() => triageSummary());
  const counts = triage.data
    ? `${formatCount(triage.data.waiting)} 条待分派${triage.data.overdue ? ` · ${triage.data.overdue} 条已超期` : ''}`
    : '居住地不清楚或被退回、需要人工分派的线索';
  return (
    <Menu
      entries={[
        { title: '待分派线索', description: counts, onClick: () => openPage(PAGES.countyTriage) },
        dispatchEntry,
        followUpEntry,
        enrolmentEntry,
        deferralsEntry,
        { title: '休学审批', description: '学校登记的休学，核对证明材料后审批', onClick: () => openPage(PAGES.countySuspensions) },
        schoolNoticesEntry,
        { title: '学生资助', description: '资助标准、资助对象、发放和投诉', onClick: () => openPage(PAGES.subsidies) },
        { title: '时限与规则', description: '受理、核查、家访、通知书的时限和销号规则', onClick: () => openPage(PAGES.countySettings) },
        { title: '校历', description: '学期、节假日、调休上课和本县停课补课安排', onClick: () => openPage(PAGES.countyCalendar) },
        ledgerEntry,
        statsEntry,
        scorecardsEntry,
        { title: '考核通报', description: '依考核排名发布的通报，发给各乡镇和各学校', onClick: () => openPage(PAGES.circulars) },
        ...countyEntries,
      ]}
    />
  );
}

/** Above the county: figures of the region's counties, colleagues; nothing that reads a child. */
function RegionMenu() {
  return (
    <Menu
      entries={[
        { title: '辖区概况', description: '各县辍学率对照目标、在办和逾期案件、本学年返校', onClick: () => openPage(PAGES.regionOverview) },
        {
          title: '各县考核排名',
          description: '各县受理、核查、家访、逾期和返校情况排名（仅汇总数字）',
          onClick: () => openPage(PAGES.scorecards),
        },
        { title: '邀请同事', description: '发放本辖区管理员的邀请码', onClick: () => openPage(PAGES.regionColleagues) },
        { title: '个人资料', description: '修改您的姓名', onClick: () => openPage(PAGES.profile) },
      ]}
    />
  );
}

const dispatchEntry: MenuEntry = {
  title: '一日一调度',
  description: '逾期事项、逾期未接收的移交和待复查的孩子',
  onClick: () => openPage(PAGES.countyDispatch),
};

const followUpEntry: MenuEntry = {
  title: '入学通知书回执',
  description: '按学校和村查看未回执的家长，提醒回执',
  onClick: () => openPage(PAGES.enrolmentFollowUp),
};

const enrolmentEntry: MenuEntry = {
  title: '入学通知书',
  description: '批量发出、回执情况和打印',
  onClick: () => openPage(PAGES.enrolmentBatches),
};

const deferralsEntry: MenuEntry = {
  title: '延缓入学审批',
  description: '家长因孩子身体原因提出的申请',
  onClick: () => openPage(PAGES.deferrals),
};

const schoolNoticesEntry: MenuEntry = {
  title: '学校通知',
  description: '发给全校、年级或班级家长，查看阅读人数',
  onClick: () => openPage(PAGES.schoolNotices),
};

const ledgerEntry: MenuEntry = {
  title: '导出台账',
  description: '按时间和单位导出案件台账（Excel）',
  onClick: () => openPage(PAGES.ledger),
};

const statsEntry: MenuEntry = {
  title: '辍学统计',
  description: '各单位辍学率对照国家目标，可导出 Excel',
  onClick: () => openPage(PAGES.dropoutStats),
};

const scorecardsEntry: MenuEntry = {
  title: '考核排名',
  description: '各乡镇、学校的受理、核查、家访、逾期和返校情况排名',
  onClick: () => openPage(PAGES.scorecards),
};

const receivedCircularsEntry: MenuEntry = {
  title: '考核通报',
  description: '县教育局发布的各乡镇、学校考核排名通报',
  onClick: () => openPage(PAGES.receivedCirculars),
};

const auditEntry: MenuEntry = {
  title: '审计日志',
  description: '谁何时查阅、导出或修改了什么',
  onClick: () => openPage(PAGES.auditLog),
};

const childReviewsEntry: MenuEntry = {
  title: '疑似重复儿童',
  description: '可能是同一个孩子的两条记录：核对后合并或否定',
  onClick: () => openPage(PAGES.childReviews),
};

const countyEntries: MenuEntry[] = [
  { title: '名册导入', description: '导入户籍、学籍、缺勤和困难家庭名单（Excel）', onClick: () => openPage(PAGES.registryImport) },
  { title: '四查三比对', description: '比对名册，找出失学、辍学的孩子', onClick: () => openPage(PAGES.crosscheck) },
  childReviewsEntry,
  { title: '邀请码管理', description: '发放、查看和撤销监督员与工作人员的邀请码', onClick: () => openPage(PAGES.invitations) },
  { title: '学校管理', description: '本县学校的名称、学段和所属乡镇', onClick: () => openPage(PAGES.schools) },
  { title: '账号管理', description: '查看账号，停用或启用', onClick: () => openPage(PAGES.accounts) },
  { title: '区划导入', description: '导入统计用区划代码文件（Excel 或 CSV）', onClick: () => openPage(PAGES.divisionImport) },
  auditEntry,
];

const accountEntries: MenuEntry[] = [
  { title: '输入邀请码', description: '使用县教育局发放的邀请码', onClick: () => openPage(PAGES.redeemInvitation) },
  { title: '个人资料', description: '修改您的姓名', onClick: () => openPage(PAGES.profile) },
];

function officialEntry(user: Me): MenuEntry {
  if (user.unit?.kind === 'school') {
    return { title: user.unit.name, description: '学校信息', onClick: () => openPage(PAGES.officialUnit) };
  }
  return {
    title: user.unit ? `${user.unit.name}辖区` : '本单位',
    description: '下辖区划与辖区内学校',
    onClick: () => openPage(PAGES.officialUnit),
  };
}
