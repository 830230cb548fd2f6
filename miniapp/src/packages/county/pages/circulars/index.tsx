import { Button, Text } from '@tarojs/components';
import { CircularCard } from '../../../../components/circular-card';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { circularsApi } from '../../../../services/circulars';
import { openPage } from '../../../../utils/navigation';

/** 通报 the county has published, newest first; a new one is published from the scorecard on screen. */
export default function CircularsPage() {
  const circulars = usePagedList((cursor) => circularsApi.list({ cursor, limit: 20 }), []);
  useOnReturn(() => void circulars.reload());
  return (
    <Screen className="list-page circulars-page">
      <Button className="btn btn-primary btn-block" onClick={() => openPage(PAGES.scorecards)}>
        从考核排名发布通报
      </Button>
      <Text className="section-note">通报发给全县各乡镇负责人和各学校，排名在发布时锁定，之后案件有变化也不会改变。</Text>
      <PagedList list={circulars} empty="还没有发布过通报">
        {(circular) => <CircularCard key={circular.id} circular={circular} />}
      </PagedList>
    </Screen>
  );
}
