import type { PropsWithChildren } from 'react';
import { useDidShow, useLaunch } from '@tarojs/taro';
import { listenForPrivacyAuthorization } from './services/privacy';
import { flushOutbox, startTipOutbox } from './services/tip-outbox';
import './app.css';

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    listenForPrivacyAuthorization();
    // Tips left on the phone by an earlier run go now, and whenever the network returns.
    startTipOutbox();
  });
  useDidShow(() => {
    void flushOutbox();
  });
  // Taro renders the current page as children.
  return children;
}
