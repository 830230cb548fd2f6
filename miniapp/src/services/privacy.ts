import Taro from '@tarojs/taro';
import { askPrivacyAgreement, PRIVACY_AGREE_BUTTON_ID } from '../stores/privacy';
import { sessionStore } from '../stores/session';
import { promisify } from '../utils/promisify';
import { getAuthOptions, recordPrivacyConsent } from './auth';

/**
 * WeChat blocks privacy APIs (choosing files or photos, location…) until the user agrees to the
 * mini program's privacy guide with an agreePrivacyAuthorization button, and PIPL wants that
 * consent recorded against the policy version. Call `ensurePrivacyAgreed()` before any such API.
 */
export async function ensurePrivacyAgreed(): Promise<boolean> {
  const [wechatNeedsAgreement, serverNeedsConsent] = await Promise.all([wechatNeedsAuthorization(), consentVersionOutdated()]);
  if (!wechatNeedsAgreement && !serverNeedsConsent) return true;
  if (!(await askPrivacyAgreement())) return false;
  if (serverNeedsConsent) await recordPrivacyConsent((await getAuthOptions()).privacyPolicyVersion);
  return true;
}

/** Answers WeChat when a privacy API is called before the user agreed (e.g. by a component). */
export function listenForPrivacyAuthorization(): void {
  if (process.env.TARO_ENV !== 'weapp') return;
  Taro.onNeedPrivacyAuthorization((resolve) => {
    void askPrivacyAgreement().then((agreed) =>
      resolve(agreed ? { event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID } : { event: 'disagree' }),
    );
  });
}

async function wechatNeedsAuthorization(): Promise<boolean> {
  if (process.env.TARO_ENV !== 'weapp') return false;
  const { needAuthorization } = await promisify<Taro.getPrivacySetting.Option, Taro.getPrivacySetting.SuccessCallbackResult>(
    Taro.getPrivacySetting,
    {},
  );
  return needAuthorization;
}

async function consentVersionOutdated(): Promise<boolean> {
  const user = sessionStore.get().user;
  if (!user) return false;
  const { privacyPolicyVersion } = await getAuthOptions();
  return user.privacyConsentVersion !== privacyPolicyVersion;
}
