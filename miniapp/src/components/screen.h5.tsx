import { useEffect, useRef, useState, type ReactNode } from 'react';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useDesktop } from '../hooks/use-desktop';
import { useStore } from '../hooks/use-store';
import { sessionStore } from '../stores/session';
import { DesktopHeader, DesktopSidebar, Breadcrumbs, TitleBar, type Here } from './shell.h5';
import { PrivacyDialog } from './privacy-dialog';
import './screen.h5.css';

/** The event Taro's H5 router raises for Taro.setNavigationBarTitle (pages name a record this way). */
const TITLE_EVENT = '__taroH5SetNavigationBarTitle';

/**
 * Every page's outer frame in the browser. Below 1024 px it is the phone app with a title bar in
 * place of WeChat's (title, back or home); from 1024 px the desktop console: header, the sidebar
 * grouped by job, breadcrumbs (issue 16). The page's own content keeps its place in the tree, so
 * resizing across 1024 px switches the frame without losing what the page holds. Like the mini
 * program's screen.tsx it draws the privacy dialog while this page is the one on screen.
 */
export function Screen({ children, className }: { children: ReactNode; className?: string }) {
  const [visible, setVisible] = useState(true);
  const desktop = useDesktop();
  const { user } = useStore(sessionStore);
  const here = useHere(visible);
  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));

  return (
    <View className={desktop ? (user ? 'shell shell-desktop' : 'shell shell-guest') : 'shell'}>
      {desktop ? user && <DesktopHeader user={user} /> : <TitleBar here={here} signedIn={user !== null} />}
      {desktop && user && <DesktopSidebar user={user} here={here} />}
      <View className="shell-main">
        {desktop && user && <Breadcrumbs user={user} here={here} />}
        <View className={className ? `screen ${className}` : 'screen'}>
          {children}
          {visible && <PrivacyDialog />}
        </View>
      </View>
    </View>
  );
}

/** This page: its path, its title (from its config, or as the page set it) and the pages below it. */
function useHere(visible: boolean): Here {
  const [page] = useState(() => {
    const instance = Taro.getCurrentInstance();
    return { path: routePath(instance.router?.path ?? ''), title: configTitle(instance.page?.config) ?? '保学通' };
  });
  const [title, setTitle] = useState(page.title);
  const [below, setBelow] = useState<Here['below']>([]);
  const shown = useRef(visible);
  shown.current = visible;

  useEffect(() => {
    const rename = (next: unknown) => {
      if (shown.current && typeof next === 'string') setTitle(next);
    };
    Taro.eventCenter.on(TITLE_EVENT, rename);
    return () => void Taro.eventCenter.off(TITLE_EVENT, rename);
  }, []);

  // The page on screen is the top of the stack; what lies below it may change while it is hidden.
  useDidShow(() => {
    const stack = Taro.getCurrentPages();
    setBelow(stack.slice(0, -1).map((entry) => ({ path: routePath(entry.route ?? ''), title: configTitle(entry.config) ?? '' })));
  });

  return { path: page.path, title, below };
}

const routePath = (route: string) => `/${route.split('?')[0]!.replace(/^\//, '')}`;

const configTitle = (config: unknown) => (config as { navigationBarTitleText?: string } | undefined)?.navigationBarTitleText;
