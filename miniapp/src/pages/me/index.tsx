import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { Menu } from '../../components/menu';
import { Screen } from '../../components/screen';
import { Loading } from '../../components/status';
import { UserCard } from '../../components/user-card';
import { useCurrentUser } from '../../hooks/use-current-user';
import { useUnreadBadge } from '../../hooks/use-unread-badge';
import { PAGES } from '../../routes';
import { signOut } from '../../services/auth';
import { showPrivacyGuide } from '../../stores/privacy';
import { confirm } from '../../utils/feedback';
import { openPage } from '../../utils/navigation';

export default function MePage() {
  const user = useCurrentUser();
  const [leaving, setLeaving] = useState(false);
  useUnreadBadge();

  const leave = async () => {
    if (!(await confirm('退出登录', '退出后需要重新登录才能使用保学通。', '退出'))) return;
    setLeaving(true);
    await signOut();
    await Taro.reLaunch({ url: PAGES.login });
  };

  if (!user) {
    return (
      <Screen>
        <Loading />
      </Screen>
    );
  }

  return (
    <Screen className="me">
      <UserCard user={user} />
      <Menu
        entries={[
          { title: '个人资料', description: '修改您的姓名', onClick: () => openPage(PAGES.profile) },
          { title: '输入邀请码', description: '成为社会监督员、工作人员或县教育局管理员', onClick: () => openPage(PAGES.redeemInvitation) },
          ...(process.env.TARO_ENV === 'weapp'
            ? [{ title: '电脑端登录', description: '获取登录码，在电脑上使用保学通', onClick: () => openPage(PAGES.desktopCode) }]
            : []),
          {
            title: '隐私保护指引',
            description: user.privacyConsentVersion ? `您已同意（版本 ${user.privacyConsentVersion}）` : '尚未同意',
            onClick: showPrivacyGuide,
          },
        ]}
      />
      <View className="actions">
        <Button className="btn btn-danger btn-block" loading={leaving} onClick={() => void leave()}>
          退出登录
        </Button>
      </View>
      <Text className="footnote">保学通 · 控辍保学工作平台</Text>
    </Screen>
  );
}
