// The cleaner's page (O9): the hub serves it at /cleaner/ from ui/dist, opened on a cleaner's
// phone on the store's Wi-Fi. zh-CN first; English one tap away.
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import i18next from 'i18next';
import { unstableSetRender } from 'antd-mobile';
import { startI18n } from '../locales/i18n';
import zhCleaner from '../locales/zh-CN/cleaner.json';
import enCleaner from '../locales/en-US/cleaner.json';
import { CleanerApp } from './CleanerApp';
import './cleaner.css';

startI18n('zh-CN');
// The cleaner's words are this page's alone: the other screens' scripts never carry them.
i18next.addResourceBundle('zh-CN', 'cleaner', zhCleaner, true, true);
i18next.addResourceBundle('en-US', 'cleaner', enCleaner, true, true);

// antd-mobile's toasts and dialogs render outside the page's tree; React 19 does that with roots.
unstableSetRender((node, container) => {
  const holder = container as (Element | DocumentFragment) & { _root?: Root };
  holder._root ??= createRoot(container);
  const root = holder._root;
  root.render(node);
  return async () => {
    await new Promise((r) => setTimeout(r, 0));
    root.unmount();
    delete holder._root;
  };
});

const queries = new QueryClient({
  defaultOptions: {
    // Fresh tasks arrive by the hub's events; a refusal is shown, not retried behind the cleaner.
    queries: { staleTime: Infinity, retry: 1, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <BrowserRouter basename="/cleaner">
        <CleanerApp />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
