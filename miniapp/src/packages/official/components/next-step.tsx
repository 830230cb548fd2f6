import { Text, View } from '@tarojs/components';
import { NOT_DROPOUT_REASONS } from '@baoxue/shared';
import { ESCALATED_TO_LABELS } from '../../../components/case-labels';
import type { CaseDetailView } from '../../../services/cases';
import { formatDateTime } from '../../../utils/format';

/**
 * What has to happen next and by when (即辍即劝: each step has a time limit), or how the case ended.
 * An overdue step is red and says who it has climbed to.
 */
export function NextStepCard({ detail }: { detail: CaseDetailView }) {
  const { nextStep } = detail;
  return (
    <View className={detail.overdue ? 'card next-step next-step-overdue' : 'card next-step'}>
      {nextStep ? (
        <>
          <View className="list-item-head">
            <Text className="next-step-title">下一步：{nextStep.label}</Text>
            {detail.overdue && <Text className="tag tag-overdue">已超期</Text>}
          </View>
          {nextStep.dueAt && (
            <Text className={detail.overdue ? 'next-step-due next-step-due-overdue' : 'next-step-due'}>
              {detail.overdue ? '期限已过：' : '期限：'}
              {formatDateTime(nextStep.dueAt)}
            </Text>
          )}
        </>
      ) : (
        <Text className="next-step-title">{ending(detail)}</Text>
      )}
      {detail.escalatedTo && <Text className="list-item-error">逾期未办，已升级到{ESCALATED_TO_LABELS[detail.escalatedTo]}督办</Text>}
      {detail.confirmingSchoolName && <Text className="list-item-line">等待{detail.confirmingSchoolName}确认孩子已在该校就读</Text>}
      {detail.transferPending && <Text className="list-item-line">已申请移交，接收单位接收前仍由本单位负责</Text>}
    </View>
  );
}

function ending(detail: CaseDetailView): string {
  if (detail.status === 'closed') return '已销号，按本县规定定期复查是否在校';
  if (detail.status === 'not_dropout') {
    return detail.notDropoutReason ? `已结案：${NOT_DROPOUT_REASONS[detail.notDropoutReason]}` : '已结案：核实非辍学';
  }
  return '当前没有限期办理的事项';
}
