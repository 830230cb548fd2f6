/**
 * Whether the desktop layout applies. The mini program is always a phone: its build takes this file,
 * the H5 build takes use-desktop.h5.ts, which follows the window's width.
 */
export function useDesktop(): boolean {
  return false;
}
