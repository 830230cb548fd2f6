import { Button, Text, View } from '@tarojs/components';
import { PAGES } from '../../../routes';
import { tipOutbox, type QueuedTip } from '../../../services/tip-outbox';
import { confirm } from '../../../utils/feedback';
import { formatDateTime } from '../../../utils/format';
import { openPage } from '../../../utils/navigation';
import { hasContent, loadDraft, reopenRefusedTip } from '../tip-draft';
import '../../../components/subpackage.css';

/** Tips still on this phone: waiting for the network (待发送), or refused by the server (未能提交). */
export function QueuedTips({ items }: { items: QueuedTip[] }) {
  if (!items.length) return null;

  const reopen = async (item: QueuedTip) => {
    if (hasContent(loadDraft(item.userId))) {
      const replace = await confirm('修改这条线索', '您还有一条没有提交的草稿，打开这条线索会替换那份草稿。', '替换');
      if (!replace) return;
    }
    reopenRefusedTip(item);
    openPage(PAGES.supervisorTipForm);
  };

  const remove = async (item: QueuedTip) => {
    if (await confirm('删除这条线索', '删除后无法恢复，确定不再提交吗？', '删除')) tipOutbox.remove(item.key);
  };

  return (
    <View className="section">
      <Text className="section-title">还在手机上的线索（{items.length}）</Text>
      {items.map((item) => (
        <View key={item.key} className="card list-item queued-tip">
          <View className="list-item-head">
            <Text className="list-item-title">{item.body.child.name}</Text>
            <Text className={item.state === 'rejected' ? 'tag tag-rejected' : 'tag tag-waiting'}>
              {item.state === 'rejected' ? '未能提交' : '待发送'}
            </Text>
          </View>
          <Text className="list-item-line">{item.body.observation}</Text>
          <Text className="list-item-meta">
            保存于 {formatDateTime(item.queuedAt)}
            {item.state === 'waiting' ? '，联网后自动发送' : ''}
          </Text>
          {item.error && <Text className="list-item-error">{item.error}</Text>}
          {item.state === 'waiting' ? (
            <Button className="btn btn-plain btn-small" onClick={() => void tipOutbox.flush()}>
              立即重试
            </Button>
          ) : (
            <View className="inline-actions">
              <Button className="btn btn-plain btn-small" onClick={() => void remove(item)}>
                删除
              </Button>
              <Button className="btn btn-primary btn-small" onClick={() => void reopen(item)}>
                修改后重新提交
              </Button>
            </View>
          )}
        </View>
      ))}
    </View>
  );
}
