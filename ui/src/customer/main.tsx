// The customer's pages (C1-C5, C9, C11, C12): the cloud serves them at /h5/ from ui/dist, on the
// customer's phone or in the mini-program's web-view; they call the cloud service only. zh-CN
// first; English one tap away.
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import i18next from 'i18next';
import { unstableSetRender } from 'antd-mobile';
import { startI18n } from '../locales/i18n';
import zhCustomer from '../locales/zh-CN/customer.json';
import enCustomer from '../locales/en-US/customer.json';
import zhTalk from '../locales/zh-CN/talk.json';
import enTalk from '../locales/en-US/talk.json';
import { CustomerApp } from './CustomerApp';
import { keepLoginCode } from './mini-program';
import './customer.css';
import './talk.css';

startI18n('zh-CN');
// The mini-program's login page comes back with a WeChat login code: kept before a page reads it.
keepLoginCode();
// The customer's words are these pages' alone: the store screens' scripts never carry them.
i18next.addResourceBundle('zh-CN', 'customer', zhCustomer, true, true);
i18next.addResourceBundle('en-US', 'customer', enCustomer, true, true);
i18next.addResourceBundle('zh-CN', 'talk', zhTalk, true, true);
i18next.addResourceBundle('en-US', 'talk', enTalk, true, true);

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
    // A refusal is shown to the customer, not retried behind their back.
    queries: { retry: 1, refetchOnWindowFocus: true, staleTime: 10_000 },
    mutations: { retry: false },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <BrowserRouter basename="/h5">
        <CustomerApp />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
