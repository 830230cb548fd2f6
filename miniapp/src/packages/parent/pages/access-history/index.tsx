import { useEffect } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { Empty } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { childrenApi } from '../../../../services/parents';
import { formatDateTime } from '../../../../utils/format';
import '../../parent.css';

type History = Awaited<ReturnType<typeof childrenApi.accessHistory>>;

const EMPTY_PAGE: History = { child: { id: '', name: '' }, items: [], nextCursor: null };

/**
 * 查阅记录 (PIPL art. 44–45, the right to know): which units read the child's record, when and why —
 * the county education bureau, the township, the village, the school — shown by unit and role, never
 * by the official's name. Who reported a child is never shown.
 */
export default function AccessHistoryPage() {
  const user = useCurrentUser();
  const { childId } = useRouter().params;
  const history = usePagedList<History>(
    (cursor) => (user && childId ? childrenApi.accessHistory(childId, cursor) : Promise.resolve(EMPTY_PAGE)),
    [user?.id, childId],
  );
  const childName = history.lastPage?.child.name;
  useEffect(() => {
    if (childName) void Taro.setNavigationBarTitle({ title: `${childName}的信息查阅记录` });
  }, [childName]);

  return (
    <Screen className="list-page access-history-page">
      {!childId && <Empty text="没有指定孩子" />}
      <View className="card">
        <Text className="card-note">
          依照《个人信息保护法》，您有权知道谁查阅了孩子的信息。这里列出县教育局、乡镇、村和学校工作人员查阅或处理孩子信息的时间和用途（只显示单位和职务）。工作台账等包含多名儿童的名单导出不逐一列在这里，但同样留有记录，由县教育局审计。
        </Text>
      </View>
      <PagedList list={history} empty={childId ? '还没有工作人员单独查阅过孩子的信息' : null}>
        {(entry) => (
          <View key={entry.id} className="card list-item access-entry">
            <View className="list-item-head">
              <Text className="list-item-title">{entry.unit}</Text>
            </View>
            <Text className="list-item-line">{entry.action}</Text>
            <Text className="list-item-line">用途：{entry.purpose}</Text>
            <Text className="list-item-meta">{formatDateTime(entry.at)}</Text>
          </View>
        )}
      </PagedList>
    </Screen>
  );
}
