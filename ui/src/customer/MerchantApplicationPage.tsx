// One merchant application on the phone: where it stands and what comes next (sent back: the
// platform's reasons first), the details with a way to change them, the three documents each
// taken or picked and uploaded on its own, and submitting once all three are there; after a
// send-back the same page fixes it and submits it again.
import { useCallback, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { Button, NavBar, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import {
  MERCHANT_DOCUMENT_KINDS,
  type MerchantApplicationView,
  type MerchantDocumentKind,
} from '@roomhub/shared-types';
import { merchantCloud } from '../api/merchant-client';
import { MerchantDocument } from './MerchantDocument';
import { MY_APPLICATIONS, STATUS_TONE } from './MerchantApplications';
import { canChange, canSubmit, missingDocuments } from './merchant-steps';
import { merchantRefusal, useMerchantWords } from './merchant-words';
import './merchant.css';

export function MerchantApplicationPage() {
  useMerchantWords();
  const { t } = useTranslation('merchant');
  const navigate = useNavigate();
  const { applicationId } = useParams();
  const queries = useQueryClient();
  const mine = useQuery({ queryKey: MY_APPLICATIONS, queryFn: () => merchantCloud.mine() });
  const app = mine.data?.find((a) => a.applicationId === applicationId);
  const [sending, setSending] = useState<MerchantDocumentKind[]>([]);
  const onBusy = useCallback(
    (kind: MerchantDocumentKind, busy: boolean) =>
      setSending((now) =>
        now.includes(kind) === busy ? now : busy ? [...now, kind] : now.filter((k) => k !== kind),
      ),
    [],
  );
  const keep = (next: MerchantApplicationView) =>
    queries.setQueryData<MerchantApplicationView[]>(MY_APPLICATIONS, (all) =>
      (all ?? []).map((a) => (a.applicationId === next.applicationId ? next : a)),
    );
  const submit = useMutation({
    mutationFn: () => merchantCloud.submit(applicationId!),
    onSuccess: (next) => {
      keep(next);
      Toast.show({ content: t('submitted') });
      window.scrollTo({ top: 0 });
    },
  });

  const missing = app ? missingDocuments(app) : [];
  return (
    <section className="merchant">
      <NavBar onBack={() => void navigate('/merchant')}>
        {app?.merchantName ?? t('list.title')}
      </NavBar>
      {mine.isPending && <p className="hint pad-x">{t('customer:loading')}</p>}
      {mine.isError && (
        <p className="refusal pad-x" role="alert">
          {merchantRefusal(t, mine.error)}
        </p>
      )}
      {mine.data && !app && (
        <div className="pad">
          <p className="refusal" role="alert">
            {t('refusals.application_not_found')}
          </p>
          <Button block size="large" className="tall" onClick={() => void navigate('/merchant')}>
            {t('back')}
          </Button>
        </div>
      )}
      {app && (
        <>
          <div className={`merchant-standing ${STATUS_TONE[app.status]}`} data-testid="standing">
            <span className={`status big ${STATUS_TONE[app.status]}`}>
              {t(`status.${app.status}`)}
            </span>
            <p>{t(`next.${app.status}`)}</p>
            {app.status === 'returned' && app.reasons && (
              <div className="merchant-reasons" role="note">
                <strong>{t('reasons')}</strong>
                <p>{app.reasons}</p>
              </div>
            )}
            {app.status === 'approved' && app.storeIds.length > 0 && (
              <p className="muted">{t('storeIds', { ids: app.storeIds.join('、') })}</p>
            )}
          </div>

          <h3 className="merchant-section pad-x">{t('details')}</h3>
          <div className="card merchant-details">
            <dl className="facts-list">
              <dt>{t('form.merchantName')}</dt>
              <dd>{app.merchantName}</dd>
              <dt>{t('form.contactPhone')}</dt>
              <dd>{app.contactPhone}</dd>
              {app.stores.map((s, i) => (
                <div key={i} className="merchant-store-fact">
                  <dt>{t('form.storeN', { n: i + 1 })}</dt>
                  <dd>
                    <strong>{s.name}</strong>
                    <br />
                    <span className="muted">{s.address}</span>
                  </dd>
                </div>
              ))}
            </dl>
            {canChange(app) && (
              <Button
                className="tall"
                size="middle"
                onClick={() => void navigate(`/merchant/${app.applicationId}/edit`)}
              >
                {t('edit')}
              </Button>
            )}
          </div>

          <h3 className="merchant-section pad-x">{t('documents.title')}</h3>
          {canChange(app) && <p className="hint pad-x">{t('documents.hint')}</p>}
          <ul className="cards">
            {MERCHANT_DOCUMENT_KINDS.map((kind) => (
              <MerchantDocument
                key={kind}
                app={app}
                kind={kind}
                onUploaded={keep}
                onBusy={onBusy}
              />
            ))}
          </ul>

          {canChange(app) && (
            <div className="pad merchant-submit">
              {missing.length > 0 && (
                <p className="hint">
                  {t('stillMissing', {
                    kinds: missing.map((k) => t(`documents.${k}`)).join('、'),
                  })}
                </p>
              )}
              {submit.isError && (
                <p className="refusal" role="alert">
                  {merchantRefusal(t, submit.error)}
                </p>
              )}
              <Button
                block
                color="primary"
                size="large"
                className="tall"
                disabled={!canSubmit(app) || sending.length > 0}
                loading={submit.isPending}
                onClick={() => submit.mutate()}
              >
                {app.status === 'returned' ? t('submitAgain') : t('submit')}
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
