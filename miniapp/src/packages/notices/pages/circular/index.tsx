import { Button, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { chineseDate, chinaDay } from '@baoxue/shared';
import { ScorecardTable } from '../../../../components/scorecard-table';
import { Screen } from '../../../../components/screen';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useLoader } from '../../../../hooks/use-loader';
import { circularsApi, type Circular } from '../../../../services/circulars';
import '../../notices.css';

/**
 * One 通报 as published: its number, title and comment, the bureau and date, and the ranked table
 * exactly as it stood then; the PDF to forward or print. Opened by the county that published it and
 * by every township leader and school it was sent to (its message links here).
 */
export default function CircularPage() {
  const { id } = useRouter().params;
  const circular = useLoader(() => (id ? circularsApi.get(id) : null), [id]);
  return (
    <Screen className="list-page circular-page">
      {circular.error && <ErrorNotice message={circular.error} onRetry={() => void circular.reload()} />}
      {circular.loading && <Loading />}
      {circular.data && !circular.loading && <CircularBody circular={circular.data} />}
    </Screen>
  );
}

function CircularBody({ circular }: { circular: Circular }) {
  const pdf = useAction(() => circularsApi.pdf(circular));
  return (
    <>
      <View className="card circular-head">
        <Text className="list-item-meta">{circular.number}</Text>
        <Text className="card-title">{circular.title}</Text>
        {circular.comment && <Text className="list-item-line circular-comment">{circular.comment}</Text>}
        <Text className="list-item-meta">
          {circular.countyName}教育局 · {chineseDate(chinaDay(new Date(circular.publishedAt)))}
          {circular.publishedByName ? ` · ${circular.publishedByName}发布` : ''}
        </Text>
        <Button className="btn btn-plain btn-small" loading={pdf.busy} onClick={() => void pdf.run()}>
          打开 PDF
        </Button>
      </View>
      <ScorecardTable card={circular.scorecard} />
    </>
  );
}
