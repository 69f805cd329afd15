// The owner's dashboard (O1-O12), first pages: the hub serves it at /owner/ from ui/dist, to the
// owner or a manager on the hub's machine or a paired computer of the store's network.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import i18next from 'i18next';
import { startI18n } from '../locales/i18n';
import zhOwner from '../locales/zh-CN/owner.json';
import enOwner from '../locales/en-US/owner.json';
import { takeCounterTokenFromAddress } from '../api/counter-screen';
import { OwnerApp } from './OwnerApp';
import { NS as PLATFORMS_NS, platformWords } from './remote/platform-words';
import { NS as WALLET_NS, walletWords } from '../components/wallet/wallet-words';
import './owner.css';

takeCounterTokenFromAddress();
startI18n('zh-CN');
// The dashboard's words are this page's alone: the kiosk's script never carries them.
i18next.addResourceBundle('zh-CN', 'owner', zhOwner, true, true);
i18next.addResourceBundle('en-US', 'owner', enOwner, true, true);
for (const [lang, words] of Object.entries(platformWords)) {
  i18next.addResourceBundle(lang, PLATFORMS_NS, words, true, true);
}
for (const [lang, words] of Object.entries(walletWords)) {
  i18next.addResourceBundle(lang, WALLET_NS, words, true, true);
}

const queries = new QueryClient({
  defaultOptions: {
    // Figures are asked again when the owner changes the range or opens a page; a refusal is
    // shown, not retried behind the owner's back.
    queries: { staleTime: 30_000, retry: false, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <BrowserRouter basename="/owner">
        <OwnerApp />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
