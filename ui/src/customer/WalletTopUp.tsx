// C11: topping up my wallet at a store: its packages (pay so much, the store adds a bonus, valid
// so many days), paid with WeChat Pay; the store credits it (or, offline, when it is back) and the
// balance after is shown, as my memberships show it.
import { useEffect, useState } from 'react';
import type { IntentView } from '@roomhub/shared-types';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { Button, NavBar, Selector } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, newRequestKey } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import { customerRefusal, refusalCode } from './refusal-text';
import { useIntentAnswer } from './use-intent-answer';
import './after-booking.css';

export function WalletTopUp() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const { storeId = '' } = useParams();
  const page = useQuery({ queryKey: ['store', storeId], queryFn: () => cloud.store(storeId) });
  const [paid, setPaid] = useState(false);
  const memberships = useQuery({
    queryKey: ['my-memberships'],
    queryFn: () => cloud.memberships(),
    // After paying, the store publishes the new balance: look again until it shows.
    refetchInterval: paid ? 3000 : false,
  });
  const packages = page.data?.store.walletPackages ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const [key, setKey] = useState(newRequestKey);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; refusal: boolean } | null>(null);
  const [waiting, setWaiting] = useState<IntentView | null>(null);
  const answer = useIntentAnswer(waiting);
  useEffect(() => {
    if (!answer || answer.state === 'waiting') return;
    setWaiting(null);
    setSaid(
      answer.state === 'confirmed'
        ? { text: t('topUp.done'), refusal: false }
        : { text: t('topUp.refused'), refusal: true },
    );
  }, [answer, t]);
  const pkg = packages.find((p) => p.packageId === chosen) ?? packages[0];
  const wallet = memberships.data?.memberships.find((m) => m.storeId === storeId)?.wallet;
  const balance = (wallet?.principal ?? 0) + (wallet?.bonus ?? 0);

  const pay = async () => {
    if (!pkg) return;
    setBusy(true);
    setSaid(null);
    try {
      const v = await cloud.topUp(storeId, { packageId: pkg.packageId, amount: pkg.pay }, key);
      if (v.state === 'waiting') setWaiting(v);
      setSaid({
        text: v.state === 'waiting' ? t('topUp.waiting') : t('topUp.done'),
        refusal: false,
      });
      setPaid(true);
      await queries.invalidateQueries({ queryKey: ['my-memberships'] });
    } catch (e) {
      // The store's refusal of a top-up: the money went back, said in this page's words.
      const text = refusalCode(e) === 'rejected' ? t('topUp.refused') : customerRefusal(t, e);
      setSaid({ text, refusal: true });
    } finally {
      setKey(newRequestKey());
      setBusy(false);
    }
  };

  return (
    <section>
      <NavBar onBack={() => void navigate(`/stores/${storeId}`)}>{t('topUp.title')}</NavBar>
      {page.data && <p className="muted pad-x store-line">{page.data.store.name}</p>}
      {page.isLoading && <p className="hint pad-x">{t('loading')}</p>}
      {page.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(t, page.error)}
        </p>
      )}
      <div className="pad">
        <p className="wallet-balance">
          <span>{t('memberships.wallet')}</span>
          <strong>¥{yuan(balance)}</strong>
          {(wallet?.bonus ?? 0) > 0 && (
            <span className="muted">{t('memberships.bonus', { bonus: yuan(wallet!.bonus) })}</span>
          )}
        </p>
        {page.data && packages.length === 0 && <p className="hint">{t('topUp.none')}</p>}
        {packages.length > 0 && (
          <>
            <h3>{t('topUp.packages')}</h3>
            <Selector
              className="choices packages"
              columns={1}
              options={packages.map((p) => ({
                label: p.name,
                description:
                  p.bonus > 0
                    ? p.bonusValidDays
                      ? t('topUp.bonusFor', {
                          pay: yuan(p.pay),
                          bonus: yuan(p.bonus),
                          days: p.bonusValidDays,
                        })
                      : t('topUp.bonus', { pay: yuan(p.pay), bonus: yuan(p.bonus) })
                    : t('topUp.noBonus', { pay: yuan(p.pay) }),
                value: p.packageId,
              }))}
              value={pkg ? [pkg.packageId] : []}
              onChange={(v) => v[0] && setChosen(v[0])}
            />
            <p className="hint">{t('topUp.terms')}</p>
          </>
        )}
      </div>
      <div className="pay-bar">
        {said && (
          <p
            className={said.refusal ? 'refusal' : 'waiting'}
            role={said.refusal ? 'alert' : 'status'}
          >
            {said.text}
          </p>
        )}
        <Button
          block
          color="primary"
          size="large"
          className="tall"
          loading={busy}
          disabled={!pkg || Boolean(waiting)}
          onClick={() => void pay()}
        >
          {pkg ? t('book.pay', { price: yuan(pkg.pay) }) : t('topUp.title')}
        </Button>
      </div>
    </section>
  );
}
