import { Text, View } from '@tarojs/components';
import { SCHOOL_STAGE_LABELS } from '@baoxue/shared';
import type { SchoolView } from '@baoxue/shared';

/** A school as a card: name, stage, place, address and 学校标识码 when known. */
export function SchoolCard({ school, onClick }: { school: SchoolView; onClick?: () => void }) {
  return (
    <View className="card list-item" role={onClick ? 'button' : undefined} onClick={onClick}>
      <View className="list-item-head">
        <Text className="list-item-title">{school.name}</Text>
        <Text className="tag">{SCHOOL_STAGE_LABELS[school.stage]}</Text>
      </View>
      <Text className="list-item-line">
        {school.townshipName}
        {school.villageName ? ` ${school.villageName}` : ''}
      </Text>
      {school.address && <Text className="list-item-meta">{school.address}</Text>}
      {school.code && <Text className="list-item-meta">学校标识码 {school.code}</Text>}
    </View>
  );
}
