import { Text, View } from '@tarojs/components';
import { COMPLAINT_STATUSES } from '@baoxue/shared';
import type { ComplaintStatus, ComplaintView } from '@baoxue/shared';
import { formatDateTime } from '../utils/format';
import { DetailRow } from './detail-row';
import './subpackage.css';
import './timeline.css';

export const COMPLAINT_TAGS: Record<ComplaintStatus, string> = {
  open: 'tag tag-waiting',
  processing: 'tag tag-waiting',
  answered: 'tag tag-sent',
  closed: 'tag tag-expired',
};

/**
 * A 资助投诉 as both sides read it: what it is about, the parent's words, the office's answer and
 * every step. The server decides who is named: parents see the office, never an official's name.
 */
export function ComplaintDetail({ complaint }: { complaint: ComplaintView }) {
  return (
    <>
      <View className="card complaint-head">
        <View className="list-item-head">
          <Text className="list-item-title">{complaint.subject}</Text>
          <Text className={COMPLAINT_TAGS[complaint.status]}>{COMPLAINT_STATUSES[complaint.status]}</Text>
        </View>
        <DetailRow label="孩子">
          {complaint.childName}
          {complaint.schoolName ? `（${complaint.schoolName}）` : ''}
        </DetailRow>
        <DetailRow label="提出时间">{formatDateTime(complaint.createdAt)}</DetailRow>
        {(complaint.status === 'open' || complaint.status === 'processing') && (
          <DetailRow label="答复期限">
            {formatDateTime(complaint.dueAt)}
            {complaint.overdue ? '（已超期）' : ''}
          </DetailRow>
        )}
        <Text className="field-label">反映的问题</Text>
        <Text className="notice-text complaint-text">{complaint.text}</Text>
        {complaint.answer && (
          <View className="complaint-answer">
            <Text className="field-label">县学生资助管理中心的答复</Text>
            <Text className="notice-text">{complaint.answer}</Text>
            <Text className="list-item-meta">{formatDateTime(complaint.answeredAt)} 答复</Text>
          </View>
        )}
      </View>
      <View className="card">
        <Text className="card-title">处理过程</Text>
        <View className="timeline">
          {complaint.events.map((event, index) => (
            <View key={`${event.at}-${index}`} className="timeline-item timeline-item-done">
              <View className="timeline-dot" />
              <View className="timeline-text">
                <Text className="timeline-title">
                  {event.summary} · {event.by}
                </Text>
                <Text className="timeline-meta">{formatDateTime(event.at)}</Text>
                {/* The parent's first words and the current answer are shown above already. */}
                {event.text && event.text !== complaint.text && event.text !== complaint.answer && (
                  <Text className="timeline-note">{event.text}</Text>
                )}
              </View>
            </View>
          ))}
        </View>
      </View>
    </>
  );
}
