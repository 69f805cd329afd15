// The platform operator's console (P1-P5): the cloud serves it at /platform/ to the platform's
// staff, who sign in with a texted code and an authenticator app.
import './platform-i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { PlatformApp } from './PlatformApp';

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
