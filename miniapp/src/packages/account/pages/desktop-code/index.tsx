import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { Screen } from '../../../../components/screen';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useLoader } from '../../../../hooks/use-loader';
import { createDesktopCode } from '../../../../services/auth';
import { toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import '../../../../components/subpackage.css';

/** The server that serves the API also serves the computer (H5) version at its root. */
const DESKTOP_URL = API_BASE.replace(/\/api\/?$/, '');

/** A one-time code that signs the same person in on a computer, for work easier done on a big screen. */
export default function DesktopCodePage() {
  const desktopCode = useLoader(() => createDesktopCode(), []);

  const copy = async (code: string) => {
    await Taro.setClipboardData({ data: code });
    toastSuccess('已复制');
  };

  return (
    <Screen className="form-page">
      {desktopCode.error && <ErrorNotice message={desktopCode.error} onRetry={() => void desktopCode.reload()} />}
      {desktopCode.loading && <Loading text="正在获取登录码…" />}
      {desktopCode.data && !desktopCode.loading && (
        <View className="card created-invitation">
          <Text className="card-title">电脑端登录码</Text>
          <Text className="invitation-code">{desktopCode.data.code}</Text>
          <Text className="card-note">
            在电脑浏览器中打开 {DESKTOP_URL}，输入这个登录码即可以您的身份登录。登录码只能使用一次，请勿告诉他人。
          </Text>
          <Text className="list-item-meta">有效期至 {formatDateTime(desktopCode.data.expiresAt)}</Text>
          <View className="actions">
            <Button className="btn btn-primary btn-block" onClick={() => void copy(desktopCode.data!.code)}>
              复制登录码
            </Button>
            <Button className="btn btn-plain btn-block" onClick={() => void desktopCode.reload()}>
              重新获取
            </Button>
          </View>
        </View>
      )}
    </Screen>
  );
}
