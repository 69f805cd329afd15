// The details of a merchant application on the phone: the merchant's name, a contact phone and one
// or more stores (name and address). A new application is saved as a draft and its page opens for
// the documents; an existing one (a draft, or sent back) is changed in place. The first field
// that breaks a rule is named before anything is sent.
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { Button, Input, NavBar, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { MerchantApplicationView } from '@roomhub/shared-types';
import { merchantCloud, type MerchantApplicationDetails } from '../api/merchant-client';
import { MY_APPLICATIONS } from './MerchantApplications';
import { canChange, detailsProblem, trimmedDetails } from './merchant-steps';
import { merchantRefusal, useMerchantWords } from './merchant-words';
import './account.css';
import './merchant.css';

const MAX_STORES = 20;
const EMPTY: MerchantApplicationDetails = {
  merchantName: '',
  contactPhone: '',
  stores: [{ name: '', address: '' }],
};

export function MerchantApplicationForm() {
  useMerchantWords();
  const { t } = useTranslation('merchant');
  const navigate = useNavigate();
  const { applicationId } = useParams();
  const queries = useQueryClient();
  const mine = useQuery({
    queryKey: MY_APPLICATIONS,
    queryFn: () => merchantCloud.mine(),
    enabled: Boolean(applicationId),
  });
  const app = mine.data?.find((a) => a.applicationId === applicationId);
  const [draft, setDraft] = useState<MerchantApplicationDetails>(EMPTY);
  const [problem, setProblem] = useState<ReturnType<typeof detailsProblem>>(null);
  useEffect(() => {
    if (app) {
      setDraft({
        merchantName: app.merchantName,
        contactPhone: app.contactPhone,
        stores: app.stores,
      });
    }
  }, [app]);

  const save = useMutation({
    mutationFn: (details: MerchantApplicationDetails) =>
      applicationId ? merchantCloud.edit(applicationId, details) : merchantCloud.create(details),
    onSuccess: (saved) => {
      queries.setQueryData<MerchantApplicationView[]>(MY_APPLICATIONS, (all) => [
        saved,
        ...(all ?? []).filter((a) => a.applicationId !== saved.applicationId),
      ]);
      void queries.invalidateQueries({ queryKey: MY_APPLICATIONS });
      if (applicationId) Toast.show({ content: t('form.saved') });
      void navigate(`/merchant/${saved.applicationId}`, { replace: true });
    },
  });
  const onSave = () => {
    const broken = detailsProblem(draft);
    setProblem(broken);
    if (!broken) save.mutate(trimmedDetails(draft));
  };

  const setStore = (i: number, field: 'name' | 'address', value: string) =>
    setDraft((d) => ({
      ...d,
      stores: d.stores.map((s, j) => (j === i ? { ...s, [field]: value } : s)),
    }));
  const bad = (rule: string, n?: number) =>
    problem?.rule === rule && (n === undefined || problem.n === n) ? 'bad' : '';
  const back = () => void navigate(applicationId ? `/merchant/${applicationId}` : '/merchant');

  if (applicationId && mine.data && (!app || !canChange(app))) {
    return (
      <section className="merchant">
        <NavBar onBack={back}>{t('form.editTitle')}</NavBar>
        <p className="refusal pad" role="alert">
          {app ? t('refusals.application_locked') : t('refusals.application_not_found')}
        </p>
      </section>
    );
  }
  return (
    <section className="merchant account">
      <NavBar onBack={back}>{applicationId ? t('form.editTitle') : t('form.newTitle')}</NavBar>
      {!applicationId && <p className="hint pad-x">{t('list.intro')}</p>}
      <form
        className="account-form pad"
        onSubmit={(e) => {
          e.preventDefault();
          onSave();
        }}
      >
        <label className={bad('merchantName')}>
          <span>{t('form.merchantName')}</span>
          <Input
            value={draft.merchantName}
            onChange={(v) => setDraft((d) => ({ ...d, merchantName: v }))}
            placeholder={t('form.merchantNameHint')}
            maxLength={60}
            clearable
          />
        </label>
        <label className={bad('contactPhone')}>
          <span>{t('form.contactPhone')}</span>
          <Input
            type="tel"
            inputMode="numeric"
            maxLength={11}
            value={draft.contactPhone}
            onChange={(v) => setDraft((d) => ({ ...d, contactPhone: v }))}
            placeholder={t('form.contactPhoneHint')}
          />
        </label>
        <h3>{t('form.stores')}</h3>
        {draft.stores.map((s, i) => (
          <fieldset key={i} className="merchant-store" data-testid={`store-${i + 1}`}>
            <legend>{t('form.storeN', { n: i + 1 })}</legend>
            <label className={bad('storeName', i + 1)}>
              <span>{t('form.storeName')}</span>
              <Input
                value={s.name}
                onChange={(v) => setStore(i, 'name', v)}
                placeholder={t('form.storeNameHint')}
                maxLength={40}
              />
            </label>
            <label className={bad('storeAddress', i + 1)}>
              <span>{t('form.storeAddress')}</span>
              <TextArea
                value={s.address}
                onChange={(v) => setStore(i, 'address', v)}
                placeholder={t('form.storeAddressHint')}
                maxLength={120}
                rows={2}
                autoSize
              />
            </label>
            {draft.stores.length > 1 && (
              <Button
                className="tall"
                fill="none"
                color="danger"
                onClick={() =>
                  setDraft((d) => ({ ...d, stores: d.stores.filter((_, j) => j !== i) }))
                }
              >
                {t('form.removeStore')}
              </Button>
            )}
          </fieldset>
        ))}
        {draft.stores.length < MAX_STORES && (
          <Button
            className="tall"
            fill="outline"
            onClick={() =>
              setDraft((d) => ({ ...d, stores: [...d.stores, { name: '', address: '' }] }))
            }
          >
            + {t('form.addStore')}
          </Button>
        )}
        {problem && (
          <p className="refusal" role="alert">
            {t(`rules.${problem.rule}`, { n: problem.n })}
          </p>
        )}
        {save.isError && (
          <p className="refusal" role="alert">
            {merchantRefusal(t, save.error)}
          </p>
        )}
        <Button
          block
          type="submit"
          color="primary"
          size="large"
          className="tall"
          loading={save.isPending}
        >
          {applicationId ? t('form.save') : t('form.create')}
        </Button>
      </form>
    </section>
  );
}
