import { useState } from 'react';
import Taro, { useLoad } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { ErrorNotice, Loading } from '../../components/status';
import { Screen } from '../../components/screen';
import { PAGES } from '../../routes';
import { restoreSession } from '../../services/auth';
import { messageOf } from '../../services/request';
import { sessionStore } from '../../stores/session';

/** The launch page: a signed-in user goes to their home, anyone else to sign-in. */
export default function EntryPage() {
  const [failure, setFailure] = useState<string | null>(null);

  const start = async () => {
    setFailure(null);
    // A returning user sees their home at once, as the stored session knows them; the server's answer
    // follows (the home shows it) or, when the session has ended, sends them to sign-in.
    if (sessionStore.get().user) {
      void Taro.switchTab({ url: PAGES.home });
      restoreSession()
        .then((user) => {
          if (!user) void Taro.reLaunch({ url: PAGES.login });
        })
        .catch(() => undefined);
      return;
    }
    try {
      const user = await restoreSession();
      if (user) await Taro.switchTab({ url: PAGES.home });
      else await Taro.redirectTo({ url: PAGES.login });
    } catch (error) {
      setFailure(messageOf(error));
    }
  };

  useLoad(() => {
    void start();
  });

  return (
    <Screen className="entry">
      <View className="brand">
        <Text className="brand-name">保学通</Text>
        <Text className="brand-motto">控辍保学，一个都不能少</Text>
      </View>
      {failure ? <ErrorNotice message={failure} onRetry={() => void start()} /> : <Loading text="正在进入…" />}
    </Screen>
  );
}
