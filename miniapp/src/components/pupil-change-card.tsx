import { useState, type ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { PUPIL_CHANGE_KIND_LABELS, PUPIL_CHANGE_STATUS_LABELS } from '@baoxue/shared';
import { DetailRow } from './detail-row';
import type { PupilChange } from '../services/school-line';
import { formatDateTime } from '../utils/format';
import './subpackage.css';

/**
 * One 学籍异动 as the school that recorded it, the receiving school and the county read it. The
 * document photo shows for those the server gives its link to (the recording school, the county).
 */
export function PupilChangeCard({ change, children }: { change: PupilChange; children?: ReactNode }) {
  const [broken, setBroken] = useState(false);
  const photo = change.documentUrl;
  const where =
    change.kind === 'transfer_out'
      ? `${change.fromSchoolName} → ${change.toSchoolName ?? ''}`
      : change.kind === 'moved_away'
        ? `${change.fromSchoolName} → ${change.destination ?? ''}`
        : change.fromSchoolName;
  return (
    <View className="card list-item pupil-change-item">
      <View className="list-item-head">
        <Text className="list-item-title">
          {change.childName} · {PUPIL_CHANGE_KIND_LABELS[change.kind]}
        </Text>
        <Text className={`tag tag-${change.status}`}>{PUPIL_CHANGE_STATUS_LABELS[change.status]}</Text>
      </View>
      <Text className="list-item-line">{where}</Text>
      <DetailRow label="生效日期">{change.effectiveOn}</DetailRow>
      <DetailRow label="异动原因">{change.reason}</DetailRow>
      {change.hasDocument && !photo && <DetailRow label="证明材料">已上传</DetailRow>}
      {photo && !broken && (
        <Image
          className="photo-large pupil-change-document"
          src={photo}
          mode="aspectFit"
          onError={() => setBroken(true)}
          onClick={() => void Taro.previewImage({ urls: [photo], current: photo })}
        />
      )}
      {photo && broken && <Text className="list-item-meta">证明材料照片无法显示，请刷新后重试</Text>}
      <Text className="list-item-meta">
        {change.requestedByName ?? ''} {formatDateTime(change.requestedAt)} 登记
      </Text>
      {change.decidedAt && (
        <Text className="list-item-line">
          {formatDateTime(change.decidedAt)} {PUPIL_CHANGE_STATUS_LABELS[change.status]}
          {change.decisionNote ? `：${change.decisionNote}` : ''}
        </Text>
      )}
      {change.closedCaseId && <Text className="list-item-meta">已据此结束控辍案件</Text>}
      {children}
    </View>
  );
}
