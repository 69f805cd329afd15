// C12: a store's group-buy deals: what each voucher buys, its price against the usual one, how
// long it lasts and its refund rules, a group still filling, and buying one with WeChat Pay; the
// voucher is then under "my vouchers" with its code and QR for the counter. One deal has a page
// of its own (what a share link opens); a signed-in customer can share a deal from either. A
// share code the customer came with (share-code.ts) goes with their purchase.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { Button, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { OnlineDealView } from '@roomhub/shared-types';
import { cloud, customerToken, newRequestKey } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import { entitlementText, refundRulesText } from './deal-words';
import { customerRefusal } from './refusal-text';
import { DealShareButton } from './DealShare';
import { shareCodeFor } from './share-code';
import './after-booking.css';

export function StoreDeals() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const { storeId = '' } = useParams();
  const page = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const deals = useQuery({
    queryKey: ['store-deals', storeId],
    queryFn: () => cloud.storeDeals(storeId),
  });
  const ours = (deals.data?.deals ?? []).filter((d) => d.source === 'own');
  return (
    <section>
      <NavBar onBack={() => void navigate(`/stores/${storeId}`)}>{t('deals.title')}</NavBar>
      {page.data && <p className="muted pad-x store-line">{page.data.store.name}</p>}
      {deals.isLoading && <p className="hint pad-x">{t('loading')}</p>}
      {deals.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(t, deals.error)}
        </p>
      )}
      {deals.data && ours.length === 0 && <p className="hint pad-x">{t('deals.none')}</p>}
      <ul className="cards">
        {ours.map((d) => (
          <DealCard key={d.dealId} deal={d} storeName={page.data?.store.name} linked />
        ))}
      </ul>
    </section>
  );
}

/** One deal's page: what a share link opens. */
export function DealPage() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const { storeId = '', dealId = '' } = useParams();
  const page = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const deal = useQuery({ queryKey: ['deal', dealId], queryFn: () => cloud.deal(dealId) });
  const mismatched = deal.data && deal.data.storeId !== storeId;
  return (
    <section>
      <NavBar onBack={() => void navigate(`/stores/${storeId}/deals`)}>{t('deals.title')}</NavBar>
      {page.data && <p className="muted pad-x store-line">{page.data.store.name}</p>}
      {deal.isLoading && <p className="hint pad-x">{t('loading')}</p>}
      {(deal.isError || mismatched) && (
        <p className="refusal pad-x" role="alert">
          {t('deals.gone')}
        </p>
      )}
      {deal.data && !mismatched && (
        <ul className="cards">
          <DealCard deal={deal.data} storeName={page.data?.store.name} />
        </ul>
      )}
      <div className="pad-x">
        <Button block className="tall" onClick={() => void navigate(`/stores/${storeId}`)}>
          {t('deals.toStore')}
        </Button>
      </div>
    </section>
  );
}

function DealCard({
  deal,
  storeName,
  linked = false,
}: {
  deal: OnlineDealView;
  storeName: string | undefined;
  /** In the store's list: the title opens the deal's own page. */
  linked?: boolean;
}) {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const queries = useQueryClient();
  const [key, setKey] = useState(newRequestKey);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; refusal: boolean; bought?: boolean } | null>(
    null,
  );
  const soldOut = deal.left !== null && deal.left <= 0;
  const buy = async () => {
    if (!customerToken()) return void navigate(`/sign-in?next=${encodeURIComponent(pathname)}`);
    setBusy(true);
    setSaid(null);
    try {
      const p = await cloud.buyDeal(deal.dealId, key, shareCodeFor(deal.storeId));
      setSaid(
        p.state === 'issued'
          ? { text: t('deals.bought'), refusal: false, bought: true }
          : p.state === 'grouping'
            ? {
                text: t('deals.grouping', {
                  joined: p.group?.joined ?? 1,
                  size: p.group?.size ?? deal.groupSize,
                }),
                refusal: false,
                bought: true,
              }
            : { text: t('errors.payment_declined'), refusal: true },
      );
      await queries.invalidateQueries({ queryKey: ['my-vouchers'] });
      await queries.invalidateQueries({ queryKey: ['store-deals', deal.storeId] });
    } catch (e) {
      setSaid({ text: customerRefusal(t, e), refusal: true });
    } finally {
      // The next tap is another voucher, not this one again.
      setKey(newRequestKey());
      setBusy(false);
    }
  };
  return (
    <li className="card deal">
      <div className="room-head">
        {linked ? (
          <Link className="deal-title" to={`/stores/${deal.storeId}/deals/${deal.dealId}`}>
            <strong>{deal.title}</strong>
          </Link>
        ) : (
          <strong>{deal.title}</strong>
        )}
        <span className="price">
          ¥{yuan(deal.price)}
          {deal.originalPrice !== null && deal.originalPrice > deal.price && (
            <s className="muted was">¥{yuan(deal.originalPrice)}</s>
          )}
        </span>
      </div>
      {deal.description && <p className="muted">{deal.description}</p>}
      <p>{entitlementText(t, deal.entitlement).join(' · ')}</p>
      <p className="muted">
        {t('deals.valid', { count: deal.validDays })} · {refundRulesText(t, deal)}
        {deal.perCustomerLimit !== null &&
          ` · ${t('deals.limit', { count: deal.perCustomerLimit })}`}
        {deal.left !== null && ` · ${t('deals.left', { count: deal.left })}`}
      </p>
      {deal.groupSize > 1 && (
        <p className="hint">
          {t('deals.group', { size: deal.groupSize, hours: deal.groupHours })}
          {deal.group && ` ${t('deals.groupNow', { joined: deal.group.joined })}`}
        </p>
      )}
      {said && (
        <p
          className={said.refusal ? 'refusal' : 'waiting'}
          role={said.refusal ? 'alert' : 'status'}
        >
          {said.text}
        </p>
      )}
      {said?.bought ? (
        <Button block className="tall" onClick={() => void navigate('/me/vouchers')}>
          {t('vouchers.see')}
        </Button>
      ) : (
        <Button
          block
          color="primary"
          className="tall"
          loading={busy}
          disabled={soldOut}
          onClick={() => void buy()}
        >
          {soldOut ? t('deals.soldOut') : t('book.pay', { price: yuan(deal.price) })}
        </Button>
      )}
      {customerToken() && <DealShareButton deal={deal} storeName={storeName} />}
    </li>
  );
}
