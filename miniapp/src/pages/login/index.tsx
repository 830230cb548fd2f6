import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { ROLE_LABELS } from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { Screen } from '../../components/screen';
import { ErrorNotice, Loading } from '../../components/status';
import { useLoader } from '../../hooks/use-loader';
import { PAGES } from '../../routes';
import { getAuthOptions, signInWithDemoAccount, signInWithWechat } from '../../services/auth';
import { askPrivacyAgreement, showPrivacyGuide } from '../../stores/privacy';
import { showError } from '../../utils/feedback';

const isWeapp = process.env.TARO_ENV === 'weapp';

export default function LoginPage() {
  const options = useLoader(() => getAuthOptions(), []);
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  /** Signing in needs the privacy guide agreed; an unticked box asks with the guide itself. */
  const signIn = async (key: string, action: () => Promise<Me>) => {
    if (busy) return;
    if (!agreed) {
      if (!(await askPrivacyAgreement())) return;
      setAgreed(true);
    }
    setBusy(key);
    try {
      await action();
      await Taro.switchTab({ url: PAGES.home });
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Screen className='login'>
      <View className='brand'>
        <Text className='brand-name'>保学通</Text>
        <Text className='brand-motto'>控辍保学，一个都不能少</Text>
      </View>

      {isWeapp && (
        <Button className='btn btn-primary btn-block' loading={busy === 'wechat'} onClick={() => void signIn('wechat', signInWithWechat)}>
          微信登录
        </Button>
      )}

      {options.loading && !options.data && <Loading />}
      {options.error && <ErrorNotice message={options.error} onRetry={() => void options.reload()} />}

      {options.data?.devLogin && (
        <View className='card demo-accounts'>
          <Text className='card-title'>演示账号</Text>
          <Text className='card-note'>演示环境中可直接以下列身份登录，数据为演示数据。</Text>
          {options.data.demoAccounts.map((demo) => (
            <View
              key={demo.account}
              className='demo-account'
              onClick={() => void signIn(demo.account, () => signInWithDemoAccount(demo.account))}
            >
              <View className='demo-account-text'>
                <Text className='demo-account-name'>{demo.displayName}</Text>
                <Text className='demo-account-description'>{demo.description}</Text>
              </View>
              <Text className='tag'>{busy === demo.account ? '登录中…' : ROLE_LABELS[demo.role]}</Text>
            </View>
          ))}
        </View>
      )}

      {!isWeapp && options.data && !options.data.devLogin && (
        <View className='card notice'>
          <Text className='card-title'>请在微信中使用</Text>
          <Text className='card-note'>
            保学通通过微信登录。请在微信中搜索并打开「保学通」小程序，或扫描县教育局提供的小程序码。网页版仅在演示环境中提供演示账号登录。
          </Text>
        </View>
      )}

      <View className='agreement' onClick={() => setAgreed(!agreed)}>
        <View className={agreed ? 'checkbox checkbox-checked' : 'checkbox'}>{agreed ? '✓' : ''}</View>
        <Text>我已阅读并同意</Text>
        <Text
          className='link'
          onClick={(event) => {
            event.stopPropagation();
            showPrivacyGuide();
          }}
        >
          《保学通隐私保护指引》
        </Text>
      </View>
    </Screen>
  );
}
