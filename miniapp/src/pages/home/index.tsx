import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import type { Me } from '@baoxue/shared';
import { Menu, type MenuEntry } from '../../components/menu';
import { Screen } from '../../components/screen';
import { Loading } from '../../components/status';
import { UserCard } from '../../components/user-card';
import { useCurrentUser } from '../../hooks/use-current-user';
import { PAGES } from '../../routes';
import { unitName } from '../../utils/labels';
import { openPage } from '../../utils/navigation';

/** The role home: who you are and the work that exists for your role today. */
export default function HomePage() {
  const user = useCurrentUser();
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
    case 'county_admin':
      return (
        <Section title="县级管理">
          <Menu entries={countyEntries} />
        </Section>
      );
    case 'official':
      return (
        <Section title="本单位">
          <Menu entries={[officialEntry(user)]} />
        </Section>
      );
    case 'supervisor':
      return (
        <Section title="社会监督员" note={user.unit ? `您是${unitName(user.unit)}的社会监督员。` : undefined}>
          <Menu entries={accountEntries} />
        </Section>
      );
    case 'parent':
      return (
        <Section title="家长" note="如果县教育局邀请您担任社会监督员或工作人员，请在下方输入邀请码。">
          <Menu entries={accountEntries} />
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

const countyEntries: MenuEntry[] = [
  { title: '邀请码管理', description: '发放、查看和撤销监督员与工作人员的邀请码', onClick: () => openPage(PAGES.invitations) },
  { title: '学校管理', description: '本县学校的名称、学段和所属乡镇', onClick: () => openPage(PAGES.schools) },
  { title: '账号管理', description: '查看账号，停用或启用', onClick: () => openPage(PAGES.accounts) },
  { title: '区划导入', description: '导入统计用区划代码文件（CSV）', onClick: () => openPage(PAGES.divisionImport) },
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
