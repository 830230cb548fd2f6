import Taro from '@tarojs/taro';
import { Button, ScrollView, Text, View } from '@tarojs/components';
import { useStore } from '../hooks/use-store';
import { answerPrivacyDialog, privacyDialogStore, PRIVACY_AGREE_BUTTON_ID } from '../stores/privacy';
import { PRIVACY_GUIDE_SECTIONS, PRIVACY_GUIDE_TITLE } from './privacy-guide';

const isWeapp = process.env.TARO_ENV === 'weapp';

/**
 * The 隐私保护指引 as a modal. In WeChat the agree button must be an agreePrivacyAuthorization
 * button: that tap is what WeChat itself records as consent before privacy APIs may run.
 */
export function PrivacyDialog() {
  const state = useStore(privacyDialogStore);
  if (state.kind === 'closed') return null;

  return (
    <View className="modal-mask">
      <View className="modal privacy-dialog">
        <Text className="modal-title">{PRIVACY_GUIDE_TITLE}</Text>
        <ScrollView scrollY className="privacy-body">
          {PRIVACY_GUIDE_SECTIONS.map((section) => (
            <View key={section.heading} className="privacy-section">
              <Text className="privacy-heading">{section.heading}</Text>
              <Text className="privacy-text">{section.body}</Text>
            </View>
          ))}
          {isWeapp && (
            <Text className="link" onClick={() => void Taro.openPrivacyContract()}>
              查看完整的《用户隐私保护指引》
            </Text>
          )}
        </ScrollView>
        {state.kind === 'ask' ? (
          <View className="modal-actions">
            <Button className="btn btn-plain" onClick={() => answerPrivacyDialog(false)}>
              不同意
            </Button>
            {isWeapp ? (
              <Button
                id={PRIVACY_AGREE_BUTTON_ID}
                className="btn btn-primary"
                openType="agreePrivacyAuthorization"
                onAgreePrivacyAuthorization={() => answerPrivacyDialog(true)}
              >
                同意并继续
              </Button>
            ) : (
              <Button className="btn btn-primary" onClick={() => answerPrivacyDialog(true)}>
                同意并继续
              </Button>
            )}
          </View>
        ) : (
          <View className="modal-actions">
            <Button className="btn btn-primary" onClick={() => answerPrivacyDialog(false)}>
              关闭
            </Button>
          </View>
        )}
      </View>
    </View>
  );
}
