import { useState, type ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Image } from '@tarojs/components';
import { CHILD_SEXES, GRADE_LABELS } from '@baoxue/shared';
import type { OfficialTipView, OwnTipView } from '@baoxue/shared';
import { DetailRow } from './detail-row';
import './subpackage.css';

type TipFactsView = Pick<OfficialTipView & OwnTipView, 'child' | 'place' | 'locationNote' | 'observation' | 'photoUrl'>;

/**
 * What a tip says about the child (name, sex, age, grade, school, masked ID), where, what was seen,
 * and its photo: the same rows for the township and for the supervisor who sent it.
 */
export function TipFacts({
  tip,
  childLabel,
  schoolLabel,
  children,
}: {
  tip: TipFactsView;
  childLabel: string;
  schoolLabel: string;
  /** Rows after 看到的情况, before the photo. */
  children?: ReactNode;
}) {
  const [photoBroken, setPhotoBroken] = useState(false);
  const { child } = tip;
  const about = [
    child.sex === 'unknown' ? null : CHILD_SEXES[child.sex],
    child.age !== null ? `约${child.age}岁` : null,
    child.grade !== null ? GRADE_LABELS[child.grade] : null,
  ].filter(Boolean);

  return (
    <>
      <DetailRow label={childLabel}>{[child.name, ...about].join('，')}</DetailRow>
      {child.schoolName && <DetailRow label={schoolLabel}>{child.schoolName}</DetailRow>}
      {child.idNumberMasked && <DetailRow label="身份证号">{child.idNumberMasked}</DetailRow>}
      <DetailRow label="居住地">{tip.place ?? '不清楚'}</DetailRow>
      {tip.locationNote && <DetailRow label="位置说明">{tip.locationNote}</DetailRow>}
      <DetailRow label="看到的情况">{tip.observation}</DetailRow>
      {children}
      {tip.photoUrl && !photoBroken && (
        <Image
          className="photo-large"
          src={tip.photoUrl}
          mode="aspectFill"
          onError={() => setPhotoBroken(true)}
          onClick={() => void Taro.previewImage({ urls: [tip.photoUrl!], current: tip.photoUrl! })}
        />
      )}
    </>
  );
}
