import { useEffect } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { DIVISION_LEVEL_LABELS } from '@baoxue/shared';
import type { DivisionLevel, DivisionView, Me } from '@baoxue/shared';
import { PagedList } from '../../../../components/paged-list';
import { SchoolCard } from '../../../../components/school-card';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { divisionsApi } from '../../../../services/divisions';
import { schoolsApi } from '../../../../services/schools';
import { openPage } from '../../../../utils/navigation';

/**
 * An official's unit: a division with its sub-divisions and the schools inside it (tap a
 * sub-division to open it), or the school a school staff member belongs to.
 */
export default function UnitPage() {
  const user = useCurrentUser();
  const { code } = useRouter().params;
  if (!user) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }
  return (
    <Screen className="list-page">
      {user.unit?.kind === 'school' ? <SchoolUnit schoolId={user.unit.schoolId} /> : <DivisionUnit user={user} code={code} />}
    </Screen>
  );
}

function DivisionUnit({ user, code }: { user: Me; code: string | undefined }) {
  const divisionCode = code ?? (user.unit?.kind === 'division' ? user.unit.code : undefined);
  const division = useLoader(() => (divisionCode ? divisionsApi.get(divisionCode) : null), [divisionCode]);
  const children = useLoader(() => (divisionCode ? divisionsApi.children(divisionCode) : null), [divisionCode]);
  const schools = usePagedList((cursor) => schoolsApi.list({ under: divisionCode, cursor, limit: 20 }), [divisionCode]);

  useEffect(() => {
    if (division.data) void Taro.setNavigationBarTitle({ title: division.data.name });
  }, [division.data]);

  if (!divisionCode) return <Empty text="您的账号还没有所属单位，请联系县教育局。" />;

  return (
    <>
      {division.error && <ErrorNotice message={division.error} onRetry={() => void division.reload()} />}
      {division.data && (
        <View className="card">
          <Text className="card-title">{division.data.fullName}</Text>
          <Text className="list-item-meta">
            {DIVISION_LEVEL_LABELS[division.data.level as DivisionLevel]} · 区划代码 {division.data.code}
          </Text>
        </View>
      )}

      {(children.data?.items.length ?? 0) > 0 && (
        <View className="section">
          <Text className="section-title">下辖区划（{children.data!.items.length}）</Text>
          <View className="card menu">
            {children.data!.items.map((child) => (
              <ChildRow key={child.code} division={child} />
            ))}
          </View>
        </View>
      )}
      {children.error && <ErrorNotice message={children.error} onRetry={() => void children.reload()} />}

      <View className="section">
        <Text className="section-title">辖区内学校</Text>
        <PagedList list={schools} empty="辖区内还没有登记学校">
          {(school) => <SchoolCard key={school.id} school={school} />}
        </PagedList>
      </View>
    </>
  );
}

function ChildRow({ division }: { division: DivisionView }) {
  return (
    <View className="menu-row" onClick={() => openPage(PAGES.officialUnit, { code: division.code })}>
      <View className="menu-text">
        <Text className="menu-title">{division.name}</Text>
        <Text className="menu-description">{DIVISION_LEVEL_LABELS[division.level as DivisionLevel]}</Text>
      </View>
      <Text className="menu-arrow">›</Text>
    </View>
  );
}

function SchoolUnit({ schoolId }: { schoolId: string }) {
  const school = useLoader(() => schoolsApi.get(schoolId), [schoolId]);
  useEffect(() => {
    if (school.data) void Taro.setNavigationBarTitle({ title: school.data.name });
  }, [school.data]);

  if (school.error) return <ErrorNotice message={school.error} onRetry={() => void school.reload()} />;
  if (!school.data) return <Loading />;
  return <SchoolCard school={school.data} />;
}
