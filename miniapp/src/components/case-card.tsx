import { Text, View } from '@tarojs/components';
import { CASE_SOURCES, CASE_STATUS_LABELS, CHILD_SEXES, PRIORITY_GROUPS, type PriorityGroup } from '@baoxue/shared';
import type { CaseItem } from '../services/cases';
import { formatDateTime } from '../utils/format';
import { ESCALATED_TO_LABELS } from './case-labels';
import './subpackage.css';

/** The facts about a child that fit on one line: sex, birth year, masked ID number. */
export function childFacts(child: CaseItem['child']): string {
  return [
    child.sex === 'unknown' ? null : CHILD_SEXES[child.sex],
    child.birthYear ? `${child.birthYear}年出生` : null,
    child.idNumberMasked ? `身份证 ${child.idNumberMasked}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The child's priority groups (BRIEF §4), one tag each: why the case is near the top of the list. */
export function PriorityTags({ groups }: { groups: readonly PriorityGroup[] }) {
  if (groups.length === 0) return null;
  return (
    <View className="tags">
      {groups.map((group) => (
        <Text key={group} className="tag tag-priority">
          {PRIORITY_GROUPS[group]}
        </Text>
      ))}
    </View>
  );
}

/** One case in an inbox or queue: who, where, since when, and whether it is late. */
export function CaseCard({ item, onClick, active }: { item: CaseItem; onClick?: () => void; active?: boolean }) {
  const facts = childFacts(item.child);
  return (
    <View
      className={`card list-item case-card${item.overdue ? ' case-card-overdue' : ''}${active ? ' case-card-active' : ''}`}
      role={onClick ? 'button' : undefined}
      onClick={onClick}
    >
      <View className="list-item-head">
        <Text className="list-item-title">{item.child.name}</Text>
        <View className="tags">
          {item.overdue && <Text className="tag tag-overdue">已超期</Text>}
          {item.transferPending && <Text className="tag tag-waiting">移交待接收</Text>}
          <Text className={`tag tag-status-${item.status}`}>{CASE_STATUS_LABELS[item.status]}</Text>
        </View>
      </View>
      <Text className="list-item-meta case-number">案件编号 {item.number}</Text>
      {facts && <Text className="list-item-meta">{facts}</Text>}
      <PriorityTags groups={item.child.priorityGroups} />
      <Text className="list-item-line">{item.place ?? '居住地不清楚'}</Text>
      {item.schoolName && <Text className="list-item-line">学校：{item.schoolName}</Text>}
      {item.assigneeName && <Text className="list-item-line">包抓干部：{item.assigneeName}</Text>}
      <Text className="list-item-meta">
        {CASE_SOURCES[item.source]}
        {item.tipCount > 0 && ` · ${item.tipCount} 条线索`} · {formatDateTime(item.openedAt)} 收到
      </Text>
      {item.dueAt && (
        <Text className={item.overdue ? 'list-item-error' : 'list-item-meta'}>
          {item.overdue ? '已超过办理期限' : '办理期限'} {formatDateTime(item.dueAt)}
        </Text>
      )}
      {item.escalatedTo && <Text className="list-item-error">逾期已升级到{ESCALATED_TO_LABELS[item.escalatedTo]}督办</Text>}
    </View>
  );
}
