import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { OwnTipView } from '@baoxue/shared';
import { DetailRow } from '../../../../components/detail-row';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { TipFacts } from '../../../../components/tip-facts';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { tipsApi } from '../../../../services/tips';
import { formatDateTime } from '../../../../utils/format';
import { Milestones } from '../../components/milestones';

/**
 * One of the supervisor's own tips: what they wrote and how far the case it fed has come. They see
 * coarse milestones only, never what officials learned about the family (BRIEF §3).
 */
export default function TipPage() {
  const user = useCurrentUser();
  const { id } = useRouter().params;
  const tip = useLoader(() => (user && id ? tipsApi.get(id) : null), [user?.id, id]);
  useOnReturn(() => void tip.reload());

  return (
    <Screen className="detail-page tip-page">
      {!id && <Empty text="没有指定线索" />}
      {tip.error && <ErrorNotice message={tip.error} onRetry={() => void tip.reload()} />}
      {tip.loading && !tip.data && <Loading />}
      {tip.data && <TipDetail tip={tip.data} />}
    </Screen>
  );
}

function TipDetail({ tip }: { tip: OwnTipView }) {
  return (
    <>
      {tip.alreadyFollowed && <View className="notice">您提交时，这个孩子已经有工作人员在跟进，您的线索已补充到同一案件中。</View>}
      <View className="card">
        <Text className="card-title">办理进展</Text>
        <Milestones milestones={tip.milestones} />
      </View>

      <View className="card">
        <Text className="card-title">您报告的情况</Text>
        <TipFacts tip={tip} childLabel="孩子" schoolLabel="原来的学校">
          {tip.contact && <DetailRow label="您的联系方式">{tip.contact}</DetailRow>}
        </TipFacts>
        <Text className="list-item-meta">提交于 {formatDateTime(tip.createdAt)}</Text>
      </View>
      <Text className="footnote">为保护孩子和家庭，您只能看到办理进展，看不到工作人员掌握的家庭情况。</Text>
    </>
  );
}
