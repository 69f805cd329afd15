// The kiosk page (S1): the hub serves it at /kiosk/ from ui/dist, on the store's touchscreen.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter } from 'react-router';
import { startI18n } from '../locales/i18n';
import { screenToken, takeTokenFromAddress } from '../api/screen-token';
import { hub } from '../api/hub-client';
import { localDate } from '../components/store-time';
import { KioskApp } from './KioskApp';
import './kiosk.css';

takeTokenFromAddress();
startI18n('zh-CN');

const queries = new QueryClient({
  defaultOptions: {
    // Fresh data arrives by the hub's events; a refusal is shown, not retried behind the customer.
    queries: { staleTime: Infinity, retry: 1, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});

// A paired kiosk asks for the store, its rooms and today's board before its first render, under
// the keys the screens read them by: the board is on its way while the page draws its frame. A
// refusal is left to the screens, which ask again and say why.
if (screenToken() !== null) {
  void queries.prefetchQuery({ queryKey: ['rooms'], queryFn: hub.rooms });
  void queries.prefetchQuery({ queryKey: ['sync'], queryFn: hub.sync });
  void Promise.all([queries.fetchQuery({ queryKey: ['store'], queryFn: hub.store }), hub.health()])
    .then(([store, health]) => {
      // The hub's today in the store's zone, as the board asks for it.
      const date = localDate(health.time, store.timeZone);
      return queries.prefetchQuery({ queryKey: ['board', date], queryFn: () => hub.board(date) });
    })
    .catch(() => undefined);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      // Two-character Chinese labels stay as written (配对, 开门), not spaced out.
      button={{ autoInsertSpace: false }}
      theme={{
        token: {
          fontSize: 20,
          controlHeight: 56,
          controlHeightLG: 72,
          borderRadius: 10,
          colorPrimary: '#2f6b4f',
        },
      }}
    >
      <QueryClientProvider client={queries}>
        <BrowserRouter basename="/kiosk">
          <KioskApp />
        </BrowserRouter>
      </QueryClientProvider>
    </ConfigProvider>
  </StrictMode>,
);
