// 接收到店提醒, shown once a booking is paid (C13): WeChat lets a subscribe message be sent once per
// authorisation per template, so the reminders are asked for now. Inside the mini-program's
// web-view the page cannot ask WeChat itself: it hands over to the mini-program's subscribe page
// (wx.miniProgram.navigateTo), which asks for the templates the cloud names and reports the ones
// allowed (GET /api/me/message-templates, POST /api/me/message-grants; README, Messages). In a
// plain browser it says the reminders come by SMS to the phone the customer signed in with.
import { useState } from 'react';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { AT_PAYMENT_KINDS } from '@roomhub/shared-types';
import { inMiniProgram, miniProgram } from './mini-program';

/** The mini-program's page that asks WeChat for the authorisations and reports them. */
export const SUBSCRIBE_PAGE = '/pages/subscribe/subscribe';

export function SubscribePrompt({ bookingId }: { bookingId: string }) {
  const { t } = useTranslation('customer');
  const [state, setState] = useState<'ask' | 'handed' | 'failed' | 'closed'>('ask');
  if (state === 'closed') return null;
  const mini = inMiniProgram();
  const handOver = async () => {
    const bridge = await miniProgram();
    if (!bridge) {
      setState('failed');
      return;
    }
    const q = new URLSearchParams({ kinds: AT_PAYMENT_KINDS.join(','), bookingId });
    bridge.navigateTo({ url: `${SUBSCRIBE_PAGE}?${q.toString()}`, fail: () => setState('failed') });
    setState('handed');
  };
  return (
    <div className="notice subscribe-prompt" role="note" data-testid="subscribe-prompt">
      <h3>{t('subscribe.title')}</h3>
      <p>{t('subscribe.what')}</p>
      {mini ? (
        <>
          {state === 'failed' && <p className="waiting">{t('subscribe.failed')}</p>}
          {state === 'handed' ? (
            <p className="muted">{t('subscribe.handed')}</p>
          ) : (
            <Button block color="primary" onClick={() => void handOver()}>
              {t('subscribe.allow')}
            </Button>
          )}
        </>
      ) : (
        <p className="muted">{t('subscribe.bySms')}</p>
      )}
      <Button
        block
        fill="none"
        size="small"
        style={{ marginTop: 4 }}
        onClick={() => setState('closed')}
      >
        {t('subscribe.close')}
      </Button>
    </div>
  );
}
