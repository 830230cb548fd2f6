import { useRef, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import type { Me } from '@baoxue/shared';
import { CaseCard } from '../../../../components/case-card';
import { PagedList } from '../../../../components/paged-list';
import { RouteCaseForm } from '../../../../components/route-case-form';
import { Screen } from '../../../../components/screen';
import { Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useDesktop } from '../../../../hooks/use-desktop';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { casesApi, type CaseItem } from '../../../../services/cases';
import { toastSuccess } from '../../../../utils/feedback';
import { openPage } from '../../../../utils/navigation';
import { TriageDesktop } from '../../components/triage-desktop';
import '../../county.css';

/**
 * 待分派线索: tips whose place could not be routed (不清楚, or outside the served counties) and
 * cases a township sent back. The county routes each to a township by hand, with a reason.
 */
export default function TriagePage() {
  const user = useCurrentUser();
  const desktop = useDesktop();
  const queue = usePagedList((cursor) => casesApi.triage({ cursor, limit: 20 }), []);
  const reload = useRef(queue.reload);
  reload.current = queue.reload;
  useOnReturn(() => void reload.current());

  if (!user) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }
  return (
    <Screen className="list-page triage-page">
      <Text className="section-note">
        居住地不清楚、不在本县，或被乡镇退回的线索在这里等待分派。请根据线索内容判断孩子所在的乡镇后分派。
      </Text>
      {queue.lastPage && queue.lastPage.overdueCount > 0 && (
        <View className="form-error">有 {queue.lastPage.overdueCount} 条已超过分派期限，请尽快处理。</View>
      )}
      {desktop ? (
        <TriageDesktop countyCode={user.unit?.kind === 'division' ? user.unit.code : null} queue={queue} />
      ) : (
        <PagedList list={queue} empty="没有待分派的线索">
          {(item) => <TriageItem key={item.id} item={item} user={user} onRouted={() => void queue.reload()} />}
        </PagedList>
      )}
    </Screen>
  );
}

function TriageItem({ item, user, onRouted }: { item: CaseItem; user: Me; onRouted: () => void }) {
  const [routing, setRouting] = useState(false);
  const countyCode = user.unit?.kind === 'division' ? user.unit.code : null;

  return (
    <View className="triage-item">
      <CaseCard item={item} onClick={() => openPage(PAGES.officialCase, { id: item.id })} />
      <View className="inline-actions triage-actions">
        <Button className="btn btn-plain btn-small" onClick={() => openPage(PAGES.officialCase, { id: item.id })}>
          查看线索
        </Button>
        {countyCode && (
          <Button className="btn btn-primary btn-small" onClick={() => setRouting(!routing)}>
            {routing ? '收起' : '分派'}
          </Button>
        )}
      </View>
      {routing && countyCode && (
        <View className="card">
          <RouteCaseForm
            caseId={item.id}
            countyCode={countyCode}
            onRouted={(routed) => {
              toastSuccess(`已分派到${routed.townshipName ?? '乡镇'}`);
              onRouted();
            }}
          />
        </View>
      )}
    </View>
  );
}
