// C1, personal information: deleting my account. The consequences are said first, plainly; what
// stands in the way now (money in a wallet, a booking to come, a request the store has not
// answered) is listed with what to do; the customer types 注销 to confirm. Afterwards the phone
// forgets the sign-in and the page says what was done.
import { useState } from 'react';
import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import { Navigate, useNavigate } from 'react-router';
import { Button, Input, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { cloud, customerToken, forgetCustomerToken } from '../api/cloud-client';
import { yuan } from '../components/yuan';
import { accountRefusal } from './account-refusal';
import './account.css';

export function DeleteAccount({ onDeleted }: { onDeleted: () => void }) {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const [typed, setTyped] = useState('');
  const check = useQuery({
    queryKey: ['deletion-check'],
    queryFn: () => cloud.deletionCheck(),
    enabled: Boolean(customerToken()),
  });
  const storeIds = [...new Set((check.data?.blockers ?? []).map((b) => b.storeId))];
  const stores = useQueries({
    queries: storeIds.map((id) => ({ queryKey: ['store', id], queryFn: () => cloud.store(id) })),
  });
  const nameOf = (id: string) =>
    stores.find((s) => s.data?.store.storeId === id)?.data?.store.name ??
    t('account.delete.aStore');
  const remove = useMutation({
    mutationFn: () => cloud.deleteAccount(typed.trim()),
    onSuccess: () => {
      forgetCustomerToken();
      onDeleted();
    },
  });
  // Signed out (and not just deleted): sign in first, then come back here.
  if (!remove.isSuccess && !customerToken()) {
    return <Navigate to="/sign-in?next=%2Fme%2Fdelete" replace />;
  }
  if (remove.isSuccess) {
    return (
      <section className="account">
        <NavBar back={null}>{t('account.delete.title')}</NavBar>
        <p className="done pad-x" role="status">
          {t('account.delete.done', { count: remove.data.storesTold.length })}
        </p>
        <div className="pad">
          <Button block size="large" className="tall" onClick={() => void navigate('/')}>
            {t('account.delete.home')}
          </Button>
        </div>
      </section>
    );
  }
  const blockers = check.data?.blockers ?? [];
  return (
    <section className="account">
      <NavBar onBack={() => void navigate('/me')}>{t('account.delete.title')}</NavBar>
      <div className="pad">
        <h3>{t('account.delete.whatHappens')}</h3>
        <ul className="consequences">
          <li>{t('account.delete.erased')}</li>
          <li>{t('account.delete.kept')}</li>
          <li>{t('account.delete.forfeit')}</li>
          <li>{t('account.delete.final')}</li>
        </ul>
      </div>
      {check.isPending && <p className="hint pad-x">{t('loading')}</p>}
      {check.isError && (
        <p className="refusal pad-x" role="alert">
          {accountRefusal(t, check.error)}
        </p>
      )}
      {blockers.length > 0 && (
        <div className="pad blockers" role="alert">
          <p className="refusal">{t('account.delete.notNow')}</p>
          <ul>
            {blockers.map((b, i) => (
              <li key={`${b.code}-${b.storeId}-${i}`}>
                {t(`account.blocker.${b.code}`, {
                  amount: yuan(b.amount ?? 0),
                  store: nameOf(b.storeId),
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {check.data?.allowed && (
        <form
          className="pad account-form"
          onSubmit={(e) => {
            e.preventDefault();
            remove.mutate();
          }}
        >
          <label>
            <span>{t('account.delete.typeToConfirm')}</span>
            <Input value={typed} onChange={setTyped} placeholder="注销" aria-label="confirm" />
          </label>
          {remove.isError && (
            <p className="refusal" role="alert">
              {accountRefusal(t, remove.error)}
            </p>
          )}
          <Button
            block
            type="submit"
            color="danger"
            size="large"
            className="tall"
            disabled={typed.trim() !== '注销' && typed.trim().toLowerCase() !== 'delete'}
            loading={remove.isPending}
          >
            {t('account.delete.confirm')}
          </Button>
        </form>
      )}
    </section>
  );
}
