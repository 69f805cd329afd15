// The cashier's page (S2-S4): the hub serves it at /cashier/ from ui/dist, on the screen at the
// counter with the USB scanner beside it. zh-CN first; English one tap away.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import i18next from 'i18next';
import { startI18n } from '../locales/i18n';
import zhCashier from '../locales/zh-CN/cashier.json';
import enCashier from '../locales/en-US/cashier.json';
import zhTalk from '../locales/zh-CN/talk.json';
import enTalk from '../locales/en-US/talk.json';
import { takeCounterTokenFromAddress } from '../api/counter-screen';
import { CashierApp } from './CashierApp';
import { NS as WALLET_NS, walletWords } from '../components/wallet/wallet-words';
import './cashier.css';

takeCounterTokenFromAddress();
startI18n('zh-CN');
// The cashier's words are this page's alone: the kiosk's script never carries them.
i18next.addResourceBundle('zh-CN', 'cashier', zhCashier, true, true);
i18next.addResourceBundle('en-US', 'cashier', enCashier, true, true);
i18next.addResourceBundle('zh-CN', 'talk', zhTalk, true, true);
i18next.addResourceBundle('en-US', 'talk', enTalk, true, true);
for (const [lang, words] of Object.entries(walletWords)) {
  i18next.addResourceBundle(lang, WALLET_NS, words, true, true);
}

const queries = new QueryClient({
  defaultOptions: {
    // Fresh data arrives by the hub's events; a refusal is shown, not retried behind the cashier.
    queries: { staleTime: Infinity, retry: 1, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <BrowserRouter basename="/cashier">
        <CashierApp />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
