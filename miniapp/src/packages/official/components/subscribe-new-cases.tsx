import { useEffect, useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { askToSubscribe, canSubscribe, loadSubscriptions, remainingGrants } from '../../../services/subscriptions';
import { toastSuccess } from '../../../utils/feedback';

/**
 * WeChat tells an official of a new case only if they granted it beforehand, one message per
 * grant; this asks for one more from a tap (the only place WeChat allows the question).
 */
export function SubscribeNewCases() {
  const [remaining, setRemaining] = useState<number | null>(null);

  useEffect(() => {
    void loadSubscriptions()
      .then(() => setRemaining(remainingGrants('new_case')))
      .catch(() => undefined);
  }, []);

  if (!canSubscribe) return null;

  const subscribe = async () => {
    const accepted = await askToSubscribe(['new_case']);
    setRemaining(remainingGrants('new_case'));
    if (accepted.length) toastSuccess('已开启提醒');
  };

  return (
    <View className="card subscribe-card">
      <View className="subscribe-text">
        <Text className="menu-title">新线索微信提醒</Text>
        <Text className="menu-description">
          {remaining ? `还可接收 ${remaining} 次提醒，每次开启可多接收一次` : '开启后，本辖区有新线索时会通过微信通知您'}
        </Text>
      </View>
      <Button className="btn btn-plain btn-small" onClick={() => void subscribe()}>
        开启新线索提醒
      </Button>
    </View>
  );
}
