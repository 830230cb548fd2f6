import { Text, View } from '@tarojs/components';
import { TIP_MILESTONES } from '@baoxue/shared';
import type { TipMilestoneView } from '@baoxue/shared';
import { formatDateTime } from '../../../utils/format';
import { TIP_PROGRESS as ORDER } from '../tip-progress';
import '../../../components/timeline.css';

/**
 * The coarse progress a supervisor may see (BRIEF §3): received, accepted, visited, returned,
 * closed — or, when the child turned out not to have dropped out, that and the reason given.
 */
export function Milestones({ milestones }: { milestones: readonly TipMilestoneView[] }) {
  const reached = new Map(milestones.map((milestone) => [milestone.kind, milestone]));
  const unfounded = reached.get('unfounded');
  const steps = unfounded ? [...ORDER.filter((kind) => reached.has(kind)), 'unfounded' as const] : ORDER;

  return (
    <View className="timeline">
      {steps.map((kind) => {
        const milestone = reached.get(kind);
        return (
          <View key={kind} className={milestone ? 'timeline-item timeline-item-done' : 'timeline-item'}>
            <View className="timeline-dot" />
            <View className="timeline-text">
              <Text className="timeline-title">{TIP_MILESTONES[kind]}</Text>
              <Text className="timeline-meta">{milestone ? formatDateTime(milestone.at) : '尚未进行'}</Text>
              {milestone?.note && <Text className="timeline-note">原因：{milestone.note}</Text>}
            </View>
          </View>
        );
      })}
    </View>
  );
}
