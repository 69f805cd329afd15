// C12: sharing a deal with friends. 分享 asks the cloud for my share link of the deal (the same
// each time) and shows its card: the deal, its price against the usual one, the store, and the
// link as a QR code, with 复制链接. Inside the mini-program's web-view the card is also handed to
// the mini-program (wx.miniProgram.postMessage), whose onShareAppMessage sends it to a friend or a
// group as a card opening the same link. A friend buying the deal or joining the store through
// the link credits me, as the store's referral campaign says.
import { useState } from 'react';
import { Button, Popup } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import {
  MINI_PROGRAM_WEB_VIEW_PAGE,
  type DealShareView,
  type MiniProgramShareMessage,
  type OnlineDealView,
} from '@roomhub/shared-types';
import { cloud } from '../api/cloud-client';
import { QrImage } from '../components/QrImage';
import { yuan } from '../components/yuan';
import { inMiniProgram, miniProgram } from './mini-program';
import { customerRefusal } from './refusal-text';
import './deal-share.css';

/** The link's whole address, as a friend opens it. */
export const shareUrl = (share: DealShareView, origin = window.location.origin): string =>
  new URL(share.path, origin).toString();

/** What the mini-program shares: its web-view page with the link, and the card's picture. */
export function miniProgramShare(
  share: DealShareView,
  deal: Pick<OnlineDealView, 'photos' | 'price'>,
  origin = window.location.origin,
): MiniProgramShareMessage {
  const picture =
    deal.photos[0] ??
    `/api/deals/${encodeURIComponent(share.dealId)}/share-qr.png?share=${share.shareId}`;
  return {
    share: {
      title: `${share.title} ¥${yuan(deal.price)}`,
      path: `${MINI_PROGRAM_WEB_VIEW_PAGE}?url=${encodeURIComponent(share.path)}`,
      imageUrl: new URL(picture, origin).toString(),
    },
  };
}

export function DealShareButton({
  deal,
  storeName,
}: {
  deal: OnlineDealView;
  storeName: string | undefined;
}) {
  const { t } = useTranslation('customer');
  const [share, setShare] = useState<DealShareView | null>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; refusal: boolean } | null>(null);
  const mini = inMiniProgram();

  const start = async () => {
    setBusy(true);
    setSaid(null);
    try {
      const mine = share ?? (await cloud.shareDeal(deal.dealId));
      setShare(mine);
      setOpen(true);
      if (mini) {
        const bridge = await miniProgram();
        bridge?.postMessage({ data: miniProgramShare(mine, deal) });
      }
    } catch (e) {
      setSaid({ text: customerRefusal(t, e), refusal: true });
    } finally {
      setBusy(false);
    }
  };

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setSaid({ text: t('share.copied'), refusal: false });
    } catch {
      // No clipboard here (an older web-view): the link is on the card to copy by hand.
      setSaid({ text: t('share.copyByHand'), refusal: true });
    }
  };

  const url = share ? shareUrl(share) : '';
  return (
    <>
      <Button
        block
        fill="outline"
        className="tall share-button"
        loading={busy}
        onClick={() => void start()}
      >
        {t('share.button')}
      </Button>
      {said && !open && (
        <p className={said.refusal ? 'refusal' : 'waiting'} role="alert">
          {said.text}
        </p>
      )}
      <Popup
        visible={open}
        onMaskClick={() => setOpen(false)}
        onClose={() => setOpen(false)}
        bodyClassName="share-popup"
      >
        {share && (
          <div className="share-card" role="dialog" aria-label={t('share.title')}>
            <p className="share-store">{storeName}</p>
            <h3 className="share-title">{deal.title}</h3>
            <p className="price">
              ¥{yuan(deal.price)}
              {deal.originalPrice !== null && deal.originalPrice > deal.price && (
                <s className="muted was">{t('share.was', { price: yuan(deal.originalPrice) })}</s>
              )}
            </p>
            <div className="qr-box">
              <QrImage text={url} size={200} alt={t('share.qr')} />
              <p className="hint">{mini ? t('share.inMiniProgram') : t('share.scan')}</p>
            </div>
            <p className="share-link" data-testid="share-link">
              {url}
            </p>
            {said && (
              <p className={said.refusal ? 'refusal' : 'waiting'} role="status">
                {said.text}
              </p>
            )}
            <Button block color="primary" className="tall" onClick={() => void copy(url)}>
              {t('share.copy')}
            </Button>
            <p className="hint">{t('share.reward')}</p>
            <Button block fill="none" onClick={() => setOpen(false)}>
              {t('share.close')}
            </Button>
          </div>
        )}
      </Popup>
    </>
  );
}
