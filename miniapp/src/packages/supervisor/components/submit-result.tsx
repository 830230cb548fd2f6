import { useEffect, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { useStore } from '../../../hooks/use-store';
import { PAGES } from '../../../routes';
import { tipOutbox, type SubmitOutcome } from '../../../services/tip-outbox';
import type { CreatedTip } from '../../../services/tips';
import { confirm } from '../../../utils/feedback';
import { openPage } from '../../../utils/navigation';
import { reopenRefusedTip } from '../tip-draft';
import '../supervisor.css';

/**
 * What became of a submitted tip. "已提交" only once the server has it; until then "待发送", and
 * this card turns into "已提交" by itself when the outbox gets it through.
 */
export function SubmitResult({ outcome, tipKey, onAnother }: { outcome: SubmitOutcome; tipKey: string; onAnother: () => void }) {
  const [created, setCreated] = useState<CreatedTip | null>(outcome.kind === 'sent' ? outcome.sent : tipOutbox.sent(tipKey));
  const queued = useStore(tipOutbox.store).find((item) => item.key === tipKey);

  useEffect(() => {
    const already = tipOutbox.sent(tipKey);
    if (already) setCreated(already);
    return tipOutbox.onSent((item, result) => {
      if (item.key === tipKey) setCreated(result);
    });
  }, [tipKey]);

  if (created) {
    return (
      <View className="card result-card result-sent">
        <Text className="result-title">已提交</Text>
        {/* the server's answer already says when the child is followed (and that the tip joined the case) */}
        <Text className="result-message">{created.message}</Text>
        <View className="actions">
          <Button className="btn btn-primary btn-block" onClick={() => openPage(PAGES.supervisorTip, { id: created.tip.id })}>
            查看这条线索
          </Button>
          <Button className="btn btn-plain btn-block" onClick={onAnother}>
            再报一条
          </Button>
          <Button className="btn btn-plain btn-block" onClick={() => openPage(PAGES.supervisorTips)}>
            我的线索
          </Button>
        </View>
      </View>
    );
  }

  if (queued?.state === 'rejected') {
    const remove = async () => {
      if (!(await confirm('删除这条线索', '删除后无法恢复，确定不再提交吗？', '删除'))) return;
      tipOutbox.remove(queued.key);
      onAnother();
    };
    return (
      <View className="card result-card result-rejected">
        <Text className="result-title">未能提交</Text>
        <Text className="result-message">{queued.error}</Text>
        <View className="actions">
          <Button
            className="btn btn-primary btn-block"
            onClick={() => {
              reopenRefusedTip(queued);
              onAnother();
            }}
          >
            修改后重新提交
          </Button>
          <Button className="btn btn-danger btn-block" onClick={() => void remove()}>
            删除
          </Button>
        </View>
      </View>
    );
  }

  const reason = queued?.error ?? (outcome.kind === 'queued' ? outcome.reason : null);
  return (
    <View className="card result-card result-waiting">
      <Text className="result-title">待发送</Text>
      <Text className="result-message">
        线索已保存在这部手机上，网络恢复后会自动发送，不需要重新填写。关闭小程序也不会丢失，下次打开时会继续发送。
      </Text>
      {reason && <Text className="list-item-meta">没有发出的原因：{reason}</Text>}
      <View className="actions">
        <Button className="btn btn-primary btn-block" onClick={() => void tipOutbox.flush()}>
          立即重试
        </Button>
        <Button className="btn btn-plain btn-block" onClick={() => openPage(PAGES.supervisorTips)}>
          我的线索
        </Button>
      </View>
    </View>
  );
}
