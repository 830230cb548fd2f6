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
import { navEntries, type NavCounter, type NavEntry } from '../../utils/nav';
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
          <NavMenu user={user} />
        </Section>
      );
    case 'county_admin':
      return (
        <>
          <HomeDashboard />
          <Section title="县级管理">
            <CountyMenu user={user} />
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
          <ParentMenu user={user} />
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

/** Figures that change an entry's title or description on the home (NavEntry.counter). */
type CounterShown = Partial<Record<NavCounter, Partial<Pick<NavEntry, 'title' | 'description' | 'page'>>>>;

/** The user's entries of the one navigation model (utils/nav.ts), the lead entry left out. */
function NavMenu({ user, counters = {} }: { user: Me; counters?: CounterShown }) {
  const entries: MenuEntry[] = navEntries(user)
    .filter((entry) => !entry.lead)
    .map((entry) => {
      const shown = { ...entry, ...(entry.counter ? counters[entry.counter] : undefined) };
      return { title: shown.title, description: shown.description, onClick: () => openPage(PAGES[shown.page]) };
    });
  return <Menu entries={entries} />;
}

/** The large button above the menu (提交线索, 学校工作台 · 点名). */
function LeadButton({ user, note }: { user: Me; note: string }) {
  const lead = navEntries(user).find((entry) => entry.lead);
  if (!lead) return null;
  return (
    <>
      <Button className="btn btn-primary btn-block btn-large" onClick={() => openPage(PAGES[lead.page])}>
        {lead.title}
      </Button>
      <Text className="section-note">{note}</Text>
    </>
  );
}

function SupervisorMenu({ user }: { user: Me }) {
  const mine = useSummary(() => tipsApi.mine({ limit: 1 }));
  const waiting = tipOutbox.queued(user.id, useStore(tipOutbox.store)).length;
  const stats = mine.data?.stats;
  const record = stats ? `已提交 ${stats.sent} 条 · 确认辍学 ${stats.confirmed} · ${TIP_MILESTONES.returned} ${stats.returned}` : undefined;

  return (
    <>
      <LeadButton user={user} note="发现义务教育阶段的孩子疑似辍学，请及时报告。没有网络也可以填写提交。" />
      <NavMenu
        user={user}
        counters={{
          supervisorTips: { ...(waiting ? { title: `我的线索（${waiting} 条待发送）` } : {}), ...(record ? { description: record } : {}) },
        }}
      />
    </>
  );
}

function ParentMenu({ user }: { user: Me }) {
  const notices = useSummary(() => noticesApi.mine());
  const summary = useSummary(parentSummary).data;
  const waiting = notices.data?.items.filter((notice) => notice.acknowledgedAt === null).length ?? 0;
  const counted = (title: string, count: number | undefined, unit: string) => (count ? { title: `${title}（${count} ${unit}）` } : {});
  return (
    <NavMenu
      user={user}
      counters={{
        parentChildren: summary?.children === 0 ? { title: '绑定孩子', page: 'parentBind' } : {},
        parentEnrolment: counted('入学通知书', summary?.enrolmentPending, '份待回执'),
        parentSchoolNotices: counted('学校通知', summary?.schoolUnread, '条未读'),
        parentNotices: counted('正式通知', waiting, '份待回执'),
      }}
    />
  );
}

function OfficialMenu({ user }: { user: Me }) {
  const inbox = useSummary(() => inboxSummary());
  const counts = inbox.data
    ? `待受理 ${formatCount(inbox.data.pending)} 件${inbox.data.overdue ? ` · 已超期 ${inbox.data.overdue} 件` : ''}`
    : undefined;
  const menu = <NavMenu user={user} counters={{ inbox: counts ? { description: counts } : {} }} />;
  return user.unit?.kind === 'school' ? <SchoolStart user={user}>{menu}</SchoolStart> : menu;
}

/** School staff start their day with the roll call: the school's pages are a subpackage, only the way in is here. */
function SchoolStart({ user, children }: { user: Me; children: ReactNode }) {
  const waiting = rollCallOutbox.queued(user.id, useStore(rollCallOutbox.store)).length;
  return (
    <>
      <LeadButton
        user={user}
        note={waiting ? `${waiting} 份点名保存在手机上，联网后自动提交。` : '今天的班级点名、缺勤跟进和请假审批。没有网络也可以点名。'}
      />
      {children}
    </>
  );
}

function CountyMenu({ user }: { user: Me }) {
  const triage = useSummary(() => triageSummary());
  const counts = triage.data
    ? `${formatCount(triage.data.waiting)} 条待分派${triage.data.overdue ? ` · ${triage.data.overdue} 条已超期` : ''}`
    : undefined;
  return <NavMenu user={user} counters={{ triage: counts ? { description: counts } : {} }} />;
}
