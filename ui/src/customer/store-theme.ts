// The owner's colour for their store's pages: the buttons and highlights take it, as antd-mobile
// reads its primary colour from a CSS variable; absent, the platform's own stays.
import type { CSSProperties } from 'react';
import './store-theme.css';

export function storeTheme(store: { theme?: string | undefined } | undefined): CSSProperties {
  if (!store?.theme) return {};
  return {
    '--adm-color-primary': store.theme,
    '--store-theme': store.theme,
  } as CSSProperties;
}
