// P3 on the phone: a customer the platform froze cannot sign in, so they prove their phone with a
// texted code instead, write what happened and send the appeal; later, with a new code (each works
// once), they read their appeals back with where each stands (待处理, 申诉成立, 未通过) and the
// platform's answer. Reached from the frozen notice on signing in and on "me".
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Button, NavBar, Tabs, TextArea } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { CustomerAppealView } from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';
import { PhoneCodeFields, usePhoneProof } from './PhoneCodeFields';
import { storeDateTime } from './talk-time';
import './merchant.css';

const TONE: Record<CustomerAppealView['status'], string> = {
  open: 'wait',
  upheld: 'good',
  rejected: 'bad',
};

function AppealCard({ appeal }: { appeal: CustomerAppealView }) {
  const { t } = useTranslation('customer');
  return (
    <li className="card" data-testid="appeal">
      <div className="room-head">
        <span className="muted">{t('appeal.sentAt', { at: storeDateTime(appeal.at) })}</span>
        <span className={`status ${TONE[appeal.status]}`}>
          {t(`appeal.status.${appeal.status}`)}
        </span>
      </div>
      <p className="appeal-text">{appeal.text}</p>
      {appeal.answer && (
        <div className="appeal-answer">
          <strong>{t('appeal.answer')}</strong>
          {appeal.answer}
        </div>
      )}
    </li>
  );
}

export function AppealPage() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [tab, setTab] = useState<'send' | 'check'>('send');
  const [text, setText] = useState('');
  const [sent, setSent] = useState<CustomerAppealView | null>(null);
  const [found, setFound] = useState<CustomerAppealView[] | null>(null);
  const p = usePhoneProof(params.get('phone') ?? '');

  const submit = () => {
    if (text.trim().length < 5) return p.setError(t('appeal.textRule'));
    if (!p.proved()) return;
    void p.attempt(async () => {
      setSent(await cloud.appeal(p.phone, p.code, text.trim()));
      setText('');
      p.setCode('');
    });
  };
  const lookup = () => {
    if (!p.proved()) return;
    void p.attempt(async () => {
      setFound(await cloud.myAppeals(p.phone, p.code));
      p.setCode('');
    });
  };

  const proof = (
    <>
      <PhoneCodeFields {...p.fields} />
      <p className="hint">{t('appeal.codeWhy')}</p>
      {p.error && (
        <p className="refusal" role="alert">
          {p.error}
        </p>
      )}
    </>
  );

  return (
    <section className="appeal">
      <NavBar onBack={() => void navigate('/')}>{t('appeal.title')}</NavBar>
      <p className="lead pad-x">{t('appeal.lead')}</p>
      <Tabs
        className="appeal-tabs"
        activeKey={tab}
        onChange={(k) => {
          setTab(k === 'check' ? 'check' : 'send');
          p.setError(null);
        }}
      >
        <Tabs.Tab key="send" title={t('appeal.send')} />
        <Tabs.Tab key="check" title={t('appeal.check')} />
      </Tabs>
      {tab === 'send' && (
        <div className="pad">
          {sent ? (
            <>
              <p className="waiting" role="status">
                {t('appeal.sent')}
              </p>
              <ul className="cards flush">
                <AppealCard appeal={sent} />
              </ul>
              <p className="hint">{t('appeal.later')}</p>
              <Button block size="large" className="tall" onClick={() => setTab('check')}>
                {t('appeal.check')}
              </Button>
            </>
          ) : (
            <>
              <label className="field">
                <span>{t('appeal.text')}</span>
                <TextArea
                  value={text}
                  onChange={setText}
                  placeholder={t('appeal.textHint')}
                  maxLength={1000}
                  rows={5}
                  showCount
                />
              </label>
              {proof}
              <Button
                block
                color="primary"
                size="large"
                className="tall"
                loading={p.busy}
                onClick={submit}
              >
                {t('appeal.submit')}
              </Button>
            </>
          )}
        </div>
      )}
      {tab === 'check' && (
        <div className="pad">
          {proof}
          <Button
            block
            color="primary"
            size="large"
            className="tall"
            loading={p.busy}
            onClick={lookup}
          >
            {t('appeal.lookup')}
          </Button>
          {found && (
            <>
              <h3 className="merchant-section">{t('appeal.mine')}</h3>
              {found.length === 0 ? (
                <p className="hint">{t('appeal.none')}</p>
              ) : (
                <ul className="cards flush">
                  {found.map((a) => (
                    <AppealCard key={a.appealId} appeal={a} />
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}
