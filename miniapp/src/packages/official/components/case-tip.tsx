import { Button, Text, View } from '@tarojs/components';
import type { OfficialTipView } from '@baoxue/shared';
import { TipFacts } from '../../../components/tip-facts';
import { formatDateTime } from '../../../utils/format';

export interface Tipster {
  name: string;
  contact: string | null;
}

/**
 * One tip as the township sees it. Who sent it stays hidden (in a village everyone knows everyone)
 * unless the official states a reason and reveals it, which is audited.
 */
export function CaseTip({
  tip,
  index,
  tipster,
  onReveal,
  onSplit,
}: {
  tip: OfficialTipView;
  index: number;
  tipster: Tipster | null;
  /** Null when the caller may not reveal tipsters. */
  onReveal: (() => void) | null;
  onSplit: (() => void) | null;
}) {
  return (
    <View className="card case-tip">
      <View className="list-item-head">
        <Text className="list-item-title">线索 {index + 1}</Text>
        <Text className="list-item-meta">{formatDateTime(tip.createdAt)}</Text>
      </View>
      <TipFacts tip={tip} childLabel="报告的孩子" schoolLabel="学校" />
      <View className="tipster">
        {tipster ? (
          <Text className="tipster-revealed">
            提供人：{tipster.name}
            {tipster.contact ? `，联系方式 ${tipster.contact}` : '，未留联系方式'}
          </Text>
        ) : (
          <Text className="tipster-hidden">提供人：已隐藏</Text>
        )}
      </View>
      {((!tipster && onReveal) || onSplit) && (
        <View className="inline-actions">
          {onSplit && (
            <Button className="btn btn-plain btn-small" onClick={onSplit}>
              拆分为新案件
            </Button>
          )}
          {!tipster && onReveal && (
            <Button className="btn btn-plain btn-small" onClick={onReveal}>
              查看提供人
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
