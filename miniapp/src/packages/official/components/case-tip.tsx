import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { CHILD_SEXES, GRADE_LABELS } from '@baoxue/shared';
import type { OfficialTipView } from '@baoxue/shared';
import { DetailRow } from '../../../components/detail-row';
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
  const [photoBroken, setPhotoBroken] = useState(false);
  const { child } = tip;
  const facts = [
    child.sex === 'unknown' ? null : CHILD_SEXES[child.sex],
    child.age !== null ? `约${child.age}岁` : null,
    child.grade !== null ? GRADE_LABELS[child.grade] : null,
  ].filter(Boolean);

  return (
    <View className="card case-tip">
      <View className="list-item-head">
        <Text className="list-item-title">线索 {index + 1}</Text>
        <Text className="list-item-meta">{formatDateTime(tip.createdAt)}</Text>
      </View>
      <DetailRow label="报告的孩子">{[child.name, ...facts].join('，')}</DetailRow>
      {child.schoolName && <DetailRow label="学校">{child.schoolName}</DetailRow>}
      {child.idNumberMasked && <DetailRow label="身份证号">{child.idNumberMasked}</DetailRow>}
      <DetailRow label="居住地">{tip.place ?? '不清楚'}</DetailRow>
      {tip.locationNote && <DetailRow label="位置说明">{tip.locationNote}</DetailRow>}
      <DetailRow label="看到的情况">{tip.observation}</DetailRow>
      {tip.photoUrl && !photoBroken && (
        <Image
          className="photo-large"
          src={tip.photoUrl}
          mode="aspectFill"
          onError={() => setPhotoBroken(true)}
          onClick={() => void Taro.previewImage({ urls: [tip.photoUrl!], current: tip.photoUrl! })}
        />
      )}
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
