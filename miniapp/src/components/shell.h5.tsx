import type { MouseEvent, ReactNode } from 'react';
import Taro from '@tarojs/taro';
import type { Me } from '@baoxue/shared';
import { PAGES, TAB_PAGES, type PageUrl } from '../routes';
import { signOut } from '../services/auth';
import { confirm } from '../utils/feedback';
import { unitName } from '../utils/labels';
import { entryUrl, findNavEntry, navGroups, type NavEntry, type NavGroup } from '../utils/nav';

/**
 * The browser's frame around a page (H5 only; screen.h5.tsx places it): the phone's title bar, and
 * the desktop console's header, sidebar and breadcrumbs. Plain HTML elements, so links and buttons
 * are reachable by keyboard and named for screen readers.
 */

/** The page a frame is drawn around. */
export interface Here {
  path: string;
  title: string;
  /** The pages below it in the stack, oldest first: where 返回 leads. */
  below: { path: string; title: string }[];
}

const isTab = (path: string) => (TAB_PAGES as readonly string[]).includes(path);

/**
 * Goes to a page the way the sidebar and the breadcrumbs mean it: a tab page by switching to it, a
 * page already in the stack by going back to it (so the stack does not grow with every click), any
 * other page on top of this one (so the browser's back returns here).
 */
function go(path: string, below: Here['below']): void {
  if (isTab(path)) {
    void Taro.switchTab({ url: path });
    return;
  }
  const index = below.map((page) => page.path).lastIndexOf(path);
  if (index >= 0) void Taro.navigateBack({ delta: below.length - index });
  else void Taro.navigateTo({ url: path });
}

/** A real link (it can be opened in a new tab) that navigates within the app on a plain click. */
function PageLink({
  path,
  below,
  className,
  current,
  children,
}: {
  path: string;
  below: Here['below'];
  className?: string;
  current?: boolean;
  children: ReactNode;
}) {
  const follow = (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (!current) go(path, below);
  };
  return (
    <a href={`#${path}`} className={className} aria-current={current ? 'page' : undefined} onClick={follow}>
      {children}
    </a>
  );
}

/** Phone widths: the page's title, with 返回 when there is a page below it, or 首页 when it was opened directly. */
export function TitleBar({ here, signedIn }: { here: Here; signedIn: boolean }) {
  const back = here.below.length > 0;
  const home = !back && signedIn && !isTab(here.path) && here.path !== PAGES.entry && here.path !== PAGES.login;
  return (
    <header className="title-bar">
      {back && (
        <button type="button" className="title-bar-button" aria-label="返回" onClick={() => void Taro.navigateBack()}>
          ‹ 返回
        </button>
      )}
      {home && (
        <PageLink path={PAGES.home} below={here.below} className="title-bar-button">
          首页
        </PageLink>
      )}
      <h1 className="title-bar-title">{here.title}</h1>
    </header>
  );
}

/** Desktop: 保学通, the unit, the user, 消息, 我的 and 退出. */
export function DesktopHeader({ user }: { user: Me }) {
  const leave = async () => {
    if (!(await confirm('退出登录', '退出后需要重新登录才能使用保学通。', '退出'))) return;
    await signOut();
    await Taro.reLaunch({ url: PAGES.login });
  };
  return (
    <header className="shell-header">
      <PageLink path={PAGES.home} below={[]} className="shell-brand">
        保学通
      </PageLink>
      {user.unit && <span className="shell-unit">{unitName(user.unit)}</span>}
      <span className="shell-spacer" />
      <span className="shell-user">{user.displayName}</span>
      <PageLink path={PAGES.messages} below={[]} className="shell-header-link">
        消息
      </PageLink>
      <PageLink path={PAGES.me} below={[]} className="shell-header-link">
        我的
      </PageLink>
      <button type="button" className="shell-header-link" onClick={() => void leave()}>
        退出
      </button>
    </header>
  );
}

/** The entry a page belongs to: its own, or that of the nearest page below it (a case opened from the inbox). */
function placeOf(user: Me, here: Here): { group: NavGroup; entry: NavEntry; own: boolean } | undefined {
  const own = findNavEntry(user, here.path);
  if (own) return { ...own, own: true };
  for (const page of [...here.below].reverse()) {
    const found = findNavEntry(user, page.path);
    if (found) return { ...found, own: false };
  }
  return undefined;
}

/** Desktop: the user's pages grouped by job (utils/nav.ts), the current one marked. */
export function DesktopSidebar({ user, here }: { user: Me; here: Here }) {
  const place = placeOf(user, here);
  const link = (path: PageUrl, title: string, current: boolean) => (
    <PageLink
      key={path}
      path={path}
      below={here.below}
      current={current}
      className={current ? 'shell-link shell-link-current' : 'shell-link'}
    >
      {title}
    </PageLink>
  );
  return (
    <nav className="shell-sidebar" aria-label="功能导航">
      <div className="shell-group">
        {link(PAGES.home, '首页', here.path === PAGES.home)}
        {link(PAGES.messages, '消息', here.path === PAGES.messages)}
      </div>
      {navGroups(user).map((group) => (
        <div key={group.title} className="shell-group">
          <h2 className="shell-group-title">{group.title}</h2>
          {group.entries.map((entry) =>
            link(entryUrl(entry), entry.title, place?.entry.page === entry.page && place.group.title === group.title),
          )}
        </div>
      ))}
    </nav>
  );
}

/** Desktop: 首页 › group › (the list it was opened from ›) this page. */
export function Breadcrumbs({ user, here }: { user: Me; here: Here }) {
  const place = here.path === PAGES.home ? undefined : placeOf(user, here);
  const crumbs: ReactNode[] = [];
  if (here.path !== PAGES.home) {
    crumbs.push(
      <PageLink key="home" path={PAGES.home} below={here.below} className="shell-crumb">
        首页
      </PageLink>,
    );
  }
  if (place) {
    crumbs.push(
      <span key="group" className="shell-crumb">
        {place.group.title}
      </span>,
    );
  }
  if (place && !place.own) {
    crumbs.push(
      <PageLink key="list" path={entryUrl(place.entry)} below={here.below} className="shell-crumb">
        {place.entry.title}
      </PageLink>,
    );
  }
  crumbs.push(
    <span key="here" className="shell-crumb" aria-current="page">
      {here.path === PAGES.home ? '首页' : here.title}
    </span>,
  );
  return (
    <nav className="shell-crumbs" aria-label="当前位置">
      {crumbs.flatMap((crumb, index) =>
        index === 0
          ? [crumb]
          : [
              <span key={`sep-${index}`} className="shell-crumb-separator" aria-hidden="true">
                ›
              </span>,
              crumb,
            ],
      )}
    </nav>
  );
}
