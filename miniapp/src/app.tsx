import type { PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { listenForPrivacyAuthorization } from './services/privacy';
import './app.css';

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    listenForPrivacyAuthorization();
  });
  // Taro renders the current page as children.
  return children;
}
