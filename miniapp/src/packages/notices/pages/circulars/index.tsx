import { Text } from '@tarojs/components';
import { CircularCard } from '../../../../components/circular-card';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { circularsApi } from '../../../../services/circulars';
import '../../notices.css';

/** 通报 the county education bureau sent to this township leader or school, newest first. */
export default function ReceivedCircularsPage() {
  const circulars = usePagedList((cursor) => circularsApi.mine({ cursor, limit: 20 }), []);
  // back from one: its 未读 mark is gone
  useOnReturn(() => void circulars.reload());
  return (
    <Screen className="list-page circulars-page">
      <Text className="section-note">县教育局发布的考核通报：各乡镇、各学校的排名和通报意见。</Text>
      <PagedList list={circulars} empty="还没有收到通报">
        {(circular) => <CircularCard key={circular.id} circular={circular} />}
      </PagedList>
    </Screen>
  );
}
