import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Input, Text, View } from '@tarojs/components';
import { ROLE_LABELS } from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { Screen } from '../../components/screen';
import { ErrorNotice, Loading } from '../../components/status';
import { useAction } from '../../hooks/use-action';
import { useLoader } from '../../hooks/use-loader';
import { PAGES } from '../../routes';
import { getAuthOptions, signInWithDemoAccount, signInWithDesktopCode, signInWithWechat } from '../../services/auth';
import { askPrivacyAgreement, showPrivacyGuide } from '../../stores/privacy';

const isWeapp = process.env.TARO_ENV === 'weapp';

/**
 * Sign-in. In WeChat: WeChat sign-in. On a computer (H5): the one-time code shown in the mini
 * program. Where the server runs in demo mode, the demo accounts too.
 */
export default function LoginPage() {
  const options = useLoader(() => getAuthOptions(), []);
  const [agreed, setAgreed] = useState(false);
  const signInAndGo = (action: () => Promise<Me>) => action().then(() => Taro.switchTab({ url: PAGES.home }));
  // The key says which button spins; the code form tells its failure beside the field.
  const account = useAction((_key: string, action: () => Promise<Me>) => signInAndGo(action));
  const desktop = useAction((code: string) => signInAndGo(() => signInWithDesktopCode(code)), { errorIn: 'inline' });
  const busy = desktop.busy ? 'desktop' : (account.running?.[0] ?? null);

  /** Signing in needs the privacy guide agreed; an unticked box asks with the guide itself. */
  const whenAgreed = (signIn: () => Promise<void>) => {
    if (busy) return;
    if (agreed) return void signIn();
    void askPrivacyAgreement().then((yes) => {
      if (!yes) return;
      setAgreed(true);
      return signIn();
    });
  };

  return (
    <Screen className="login">
      <View className="brand">
        <Text className="brand-name">保学通</Text>
        <Text className="brand-motto">控辍保学，一个都不能少</Text>
      </View>

      {isWeapp ? (
        <Button
          className="btn btn-primary btn-block"
          loading={busy === 'wechat'}
          onClick={() => whenAgreed(() => account.run('wechat', signInWithWechat))}
        >
          微信登录
        </Button>
      ) : (
        <DesktopCodeForm busy={desktop.busy} failure={desktop.error} onSubmit={(code) => whenAgreed(() => desktop.run(code))} />
      )}

      {options.loading && !options.data && <Loading />}
      {options.error && <ErrorNotice message={options.error} onRetry={() => void options.reload()} />}

      {options.data?.devLogin && (
        <View className="card demo-accounts">
          <Text className="card-title">演示账号</Text>
          <Text className="card-note">演示环境中可直接以下列身份登录，数据为演示数据。</Text>
          {options.data.demoAccounts.map((demo) => (
            <View
              key={demo.account}
              className="demo-account"
              onClick={() => whenAgreed(() => account.run(demo.account, () => signInWithDemoAccount(demo.account)))}
            >
              <View className="demo-account-text">
                <Text className="demo-account-name">{demo.displayName}</Text>
                <Text className="demo-account-description">{demo.description}</Text>
              </View>
              <Text className="tag">{busy === demo.account ? '登录中…' : ROLE_LABELS[demo.role]}</Text>
            </View>
          ))}
        </View>
      )}

      <View className="agreement-row">
        <View className="agreement" role="checkbox" aria-checked={agreed} onClick={() => setAgreed(!agreed)}>
          <View className={agreed ? 'checkbox checkbox-checked' : 'checkbox'}>{agreed ? '✓' : ''}</View>
          <Text>我已阅读并同意</Text>
        </View>
        <Text
          className="link"
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

/** The computer side of sign-in: people hold a WeChat account, so the phone vouches for them. */
function DesktopCodeForm({
  busy,
  failure,
  onSubmit,
}: {
  busy: boolean;
  /** Why the last sign-in with a code failed, in the server's words. */
  failure: string | null;
  onSubmit: (code: string) => void;
}) {
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);
  const error = missing ? '请输入登录码' : failure;

  const submit = () => {
    setMissing(!code.trim());
    if (code.trim()) onSubmit(code);
  };

  return (
    <View className="card desktop-login">
      <Text className="card-title">电脑端登录</Text>
      <Text className="card-note">请在手机微信中打开「保学通」小程序，在「我的 → 电脑端登录」获取登录码，5分钟内有效。</Text>
      <View className={error ? 'field field-invalid' : 'field'}>
        <Input
          className="input input-code"
          value={code}
          placeholder="请输入登录码"
          maxlength={16}
          onInput={(event) => setCode(event.detail.value)}
          onConfirm={submit}
        />
        {error && <Text className="field-error">{error}</Text>}
      </View>
      <Button className="btn btn-primary btn-block" loading={busy} onClick={submit}>
        登录
      </Button>
    </View>
  );
}
