import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { ALERT_STATUS_LABELS } from '@baoxue/shared';
import type { AlertStatus } from '@baoxue/shared';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { schoolLineApi } from '../../../../services/school-line';
import { openPage } from '../../../../utils/navigation';
import '../../school.css';

const FILTERS: ReadonlyArray<{ value: AlertStatus; label: string }> = (['open', 'contacted', 'reported', 'back'] as const).map((value) => ({
  value,
  label: ALERT_STATUS_LABELS[value],
}));

/** Pupils absent without leave for the county's number of school days: the school contacts the family, or reports. */
export default function AlertsPage() {
  const user = useCurrentUser();
  const [status, setStatus] = useState<AlertStatus>('open');
  const list = usePagedList(
    (cursor) => (user ? schoolLineApi.alerts({ status, cursor }) : Promise.resolve({ items: [], nextCursor: null })),
    [user?.id, status],
  );
  useOnReturn(() => void list.reload());
  if (!user)
    return (
      <Screen className="list-page alerts-page">
        <Loading />
      </Screen>
    );
  return (
    <Screen className="list-page alerts-page">
      <Text className="section-note">连续缺勤且没有请假的学生。请当天联系家长并登记；学生不返校的，上报疑似辍学。</Text>
      <Segmented choices={FILTERS} value={status} onChange={setStatus} />
      <PagedList list={list} empty={status === 'open' ? '没有待联系家长的学生' : '没有记录'}>
        {(alert) => (
          <View key={alert.id} className="card list-item alert-item" onClick={() => openPage(PAGES.schoolPupil, { id: alert.childId })}>
            <View className="list-item-head">
              <Text className="list-item-title">{alert.childName}</Text>
              <Text className={`tag tag-${alert.status}`}>{ALERT_STATUS_LABELS[alert.status]}</Text>
            </View>
            <Text className="list-item-line">
              {alert.classLabel} · 连续缺勤 {alert.streak} 个上学日
            </Text>
            <Text className="list-item-meta">
              {alert.streakStart} 起，最近一次 {alert.lastAbsentDay}
              {alert.contacts ? ` · 已联系 ${alert.contacts} 次` : ' · 尚未联系家长'}
            </Text>
          </View>
        )}
      </PagedList>
    </Screen>
  );
}
