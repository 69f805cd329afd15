// The platform operator's console (P1-P5): the cloud serves it at /platform/ to the platform's
// staff, who sign in with a texted code and an authenticator app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import i18next from 'i18next';
import { startI18n } from '../locales/i18n';
import zhPlatform from '../locales/zh-CN/platform.json';
import enPlatform from '../locales/en-US/platform.json';
import { PlatformApp } from './PlatformApp';

startI18n('zh-CN');
i18next.addResourceBundle('zh-CN', 'platform', zhPlatform, true, true);
i18next.addResourceBundle('en-US', 'platform', enPlatform, true, true);

const queries = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 10_000, retry: false, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <BrowserRouter basename="/platform">
        <PlatformApp />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
