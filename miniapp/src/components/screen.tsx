import { useState, type ReactNode } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { PrivacyDialog } from './privacy-dialog';

/**
 * Every page's outer frame. It also draws the app-wide privacy dialog, but only while this page is
 * the one on screen: WeChat keeps tab pages (and H5 keeps the page stack) alive in the background.
 */
export function Screen({ children, className }: { children: ReactNode; className?: string }) {
  const [visible, setVisible] = useState(true);
  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));

  return (
    <View className={className ? `screen ${className}` : 'screen'}>
      {children}
      {visible && <PrivacyDialog />}
    </View>
  );
}
