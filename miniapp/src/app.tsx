import type { PropsWithChildren } from 'react';
import { useDidShow, useLaunch } from '@tarojs/taro';
import { listenForPrivacyAuthorization } from './services/privacy';
import { flushRollCalls, startRollCallOutbox } from './services/roll-call-outbox';
import { flushOutbox, startTipOutbox } from './services/tip-outbox';
import './app.css';

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    listenForPrivacyAuthorization();
    // Tips left on the phone by an earlier run go now, and whenever the network returns.
    startTipOutbox();
    // So do roll calls a teacher took without signal.
    startRollCallOutbox();
  });
  useDidShow(() => {
    void flushOutbox();
    void flushRollCalls();
  });
  // Taro renders the current page as children.
  return children;
}
