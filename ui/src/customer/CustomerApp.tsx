// The customer's pages and the tab bar under them: stores, my orders, me (coupons, memberships).
// Finding a store needs no sign-in; booking and "my" pages ask for one first and come back after.
import { useEffect, useState, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { TabBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { customerToken } from '../api/cloud-client';
import { SignIn } from './SignIn';
import { StoresNear } from './StoresNear';
import { StoreDetail } from './StoreDetail';
import { BookRoom } from './BookRoom';
import { MyOrders } from './MyOrders';
import { OrderPage } from './OrderPage';
import { MyCoupons } from './MyCoupons';
import { MyMemberships } from './MyMemberships';
import { MemberCode } from './MemberCode';
import { LinkPhone } from './LinkPhone';
import { MePage } from './MePage';
import { MyMessages } from './MyMessages';
import { ChatPage, MyChats, NewChat } from './ChatPage';
import { MyProfile } from './MyProfile';
import { MyData } from './MyData';
import { DeleteAccount } from './DeleteAccount';
import { DealPage, StoreDeals } from './StoreDeals';
import { keepShareCode } from './share-code';
import { MyVouchers } from './MyVouchers';
import { WalletTopUp } from './WalletTopUp';
import { TablesPage } from './TablesPage';
import { TablesStart } from './TablesStart';
import { TablesDetail } from './TablesDetail';
import { TeaMenu } from './TeaMenu';
import { MerchantApplications } from './MerchantApplications';
import { MerchantApplicationForm } from './MerchantApplicationForm';
import { MerchantApplicationPage } from './MerchantApplicationPage';
import { AppealPage } from './AppealPage';

function NeedsSignIn({ children }: { children: ReactNode }) {
  const location = useLocation();
  if (!customerToken()) {
    return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname)}`} replace />;
  }
  return <>{children}</>;
}

const TABS = [
  { key: '/', word: 'tabs.stores' },
  { key: '/orders', word: 'tabs.orders' },
  { key: '/me', word: 'tabs.me' },
] as const;

export function CustomerApp() {
  const { t, i18n } = useTranslation('customer');
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  // A share link's code (`?share=`) on any of a store's pages is kept for that store.
  useEffect(() => {
    const store = /^\/stores\/([^/]+)/.exec(pathname)?.[1];
    if (store) keepShareCode(decodeURIComponent(store), search);
  }, [pathname, search]);
  // Re-read the token after signing in or out.
  const [, setSignedIn] = useState(Boolean(customerToken()));
  const tab = TABS.find((x) => x.key !== '/' && pathname.startsWith(x.key))?.key ?? '/';
  const onLang = () => void i18n.changeLanguage(i18n.language === 'zh-CN' ? 'en-US' : 'zh-CN');
  const showTabs =
    !pathname.startsWith('/sign-in') &&
    !pathname.includes('/book/') &&
    !pathname.includes('/tables/') &&
    !pathname.startsWith('/appeal') &&
    !pathname.endsWith('/top-up');
  return (
    <div className="customer">
      <main className="customer-page">
        <Routes>
          <Route path="/" element={<StoresNear onLang={onLang} />} />
          <Route path="/sign-in" element={<SignIn onSignedIn={() => setSignedIn(true)} />} />
          <Route path="/stores/:storeId" element={<StoreDetail />} />
          <Route path="/stores/:storeId/deals" element={<StoreDeals />} />
          <Route path="/stores/:storeId/deals/:dealId" element={<DealPage />} />
          <Route path="/stores/:storeId/tables" element={<TablesPage />} />
          <Route
            path="/stores/:storeId/tables/new"
            element={
              <NeedsSignIn>
                <TablesStart />
              </NeedsSignIn>
            }
          />
          <Route path="/stores/:storeId/tables/:tableId" element={<TablesDetail />} />
          <Route path="/stores/:storeId/tea" element={<TeaMenu />} />
          <Route
            path="/stores/:storeId/top-up"
            element={
              <NeedsSignIn>
                <WalletTopUp />
              </NeedsSignIn>
            }
          />
          <Route
            path="/me/vouchers"
            element={
              <NeedsSignIn>
                <MyVouchers />
              </NeedsSignIn>
            }
          />
          <Route
            path="/stores/:storeId/book/:roomId"
            element={
              <NeedsSignIn>
                <BookRoom />
              </NeedsSignIn>
            }
          />
          <Route
            path="/me/messages"
            element={
              <NeedsSignIn>
                <MyMessages />
              </NeedsSignIn>
            }
          />
          <Route
            path="/chats"
            element={
              <NeedsSignIn>
                <MyChats />
              </NeedsSignIn>
            }
          />
          <Route
            path="/chats/new/:storeId"
            element={
              <NeedsSignIn>
                <NewChat />
              </NeedsSignIn>
            }
          />
          <Route
            path="/chats/:storeId/:chatId"
            element={
              <NeedsSignIn>
                <ChatPage />
              </NeedsSignIn>
            }
          />
          <Route
            path="/orders"
            element={
              <NeedsSignIn>
                <MyOrders />
              </NeedsSignIn>
            }
          />
          <Route
            path="/orders/:bookingId"
            element={
              <NeedsSignIn>
                <OrderPage />
              </NeedsSignIn>
            }
          />
          <Route
            path="/me"
            element={
              <NeedsSignIn>
                <MePage onSignedOut={() => setSignedIn(false)} onLang={onLang} />
              </NeedsSignIn>
            }
          />
          <Route
            path="/me/coupons"
            element={
              <NeedsSignIn>
                <MyCoupons />
              </NeedsSignIn>
            }
          />
          <Route
            path="/me/memberships"
            element={
              <NeedsSignIn>
                <MyMemberships />
              </NeedsSignIn>
            }
          />
          <Route
            path="/me/member-code"
            element={
              <NeedsSignIn>
                <MemberCode />
              </NeedsSignIn>
            }
          />
          <Route
            path="/me/profile"
            element={
              <NeedsSignIn>
                <MyProfile />
              </NeedsSignIn>
            }
          />
          <Route
            path="/me/phone"
            element={
              <NeedsSignIn>
                <LinkPhone />
              </NeedsSignIn>
            }
          />
          <Route
            path="/me/data"
            element={
              <NeedsSignIn>
                <MyData />
              </NeedsSignIn>
            }
          />
          <Route
            path="/merchant"
            element={
              <NeedsSignIn>
                <MerchantApplications />
              </NeedsSignIn>
            }
          />
          <Route
            path="/merchant/new"
            element={
              <NeedsSignIn>
                <MerchantApplicationForm />
              </NeedsSignIn>
            }
          />
          <Route
            path="/merchant/:applicationId"
            element={
              <NeedsSignIn>
                <MerchantApplicationPage />
              </NeedsSignIn>
            }
          />
          <Route
            path="/merchant/:applicationId/edit"
            element={
              <NeedsSignIn>
                <MerchantApplicationForm />
              </NeedsSignIn>
            }
          />
          {/* A frozen customer cannot sign in: the appeal proves their phone by a texted code. */}
          <Route path="/appeal" element={<AppealPage />} />
          {/* It signs in by itself: after the deletion it says so with no sign-in left. */}
          <Route
            path="/me/delete"
            element={<DeleteAccount onDeleted={() => setSignedIn(false)} />}
          />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
      {showTabs && (
        <TabBar className="customer-tabs" activeKey={tab} onChange={(k) => void navigate(k)}>
          {TABS.map((x) => (
            <TabBar.Item key={x.key} title={t(x.word)} />
          ))}
        </TabBar>
      )}
    </div>
  );
}
