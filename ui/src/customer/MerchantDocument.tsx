// One document of a merchant application (business licence, health permit, fire permit): what is
// there (a picture of it, or that it is a PDF), taken with the camera or picked from the phone,
// sent with how much has gone, and replaced the same way while the application may change. A
// refusal stays beside the document it is about.
import { useEffect, useRef, useState } from 'react';
import { Button, ProgressBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import {
  MERCHANT_DOCUMENT_CAP_MB,
  type MerchantApplicationView,
  type MerchantDocumentKind,
} from '@roomhub/shared-types';
import { merchantCloud } from '../api/merchant-client';
import { readyToSend } from './document-file';
import { merchantRefusal } from './merchant-words';
import { sizeText } from './merchant-steps';
import { storeDateTime } from './talk-time';

type Phase =
  | { step: 'idle' }
  | { step: 'preparing' }
  | { step: 'uploading'; percent: number }
  | { step: 'failed'; why: string };

/** A picture of the uploaded document, read with the applicant's token; null for a PDF. */
function usePicture(app: MerchantApplicationView, kind: MerchantDocumentKind): string | null {
  const doc = app.documents.find((d) => d.kind === kind);
  const [url, setUrl] = useState<string | null>(null);
  const isPicture = doc?.type.startsWith('image/') ?? false;
  useEffect(() => {
    setUrl(null);
    if (!isPicture) return;
    let gone = false;
    let made: string | null = null;
    merchantCloud
      .document(app.applicationId, kind)
      .then((blob) => {
        if (gone) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => undefined);
    return () => {
      gone = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [app.applicationId, kind, doc?.at, isPicture]);
  return url;
}

export function MerchantDocument({
  app,
  kind,
  onUploaded,
  onBusy,
}: {
  app: MerchantApplicationView;
  kind: MerchantDocumentKind;
  onUploaded: (app: MerchantApplicationView) => void;
  /** Whether this document is on its way, so the page submits only once none is. */
  onBusy: (kind: MerchantDocumentKind, busy: boolean) => void;
}) {
  const { t } = useTranslation('merchant');
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const camera = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const picture = usePicture(app, kind);
  const doc = app.documents.find((d) => d.kind === kind);
  const editable = app.status === 'draft' || app.status === 'returned';
  const busy = phase.step === 'preparing' || phase.step === 'uploading';
  useEffect(() => onBusy(kind, busy), [kind, busy, onBusy]);

  const send = async (file: File | undefined) => {
    if (!file) return;
    setPhase({ step: 'preparing' });
    const { body, type } = await readyToSend(file);
    if (body.size > MERCHANT_DOCUMENT_CAP_MB * 1024 * 1024) {
      setPhase({ step: 'failed', why: t('documents.tooLarge', { mb: MERCHANT_DOCUMENT_CAP_MB }) });
      return;
    }
    setPhase({ step: 'uploading', percent: 0 });
    try {
      const next = await merchantCloud.upload(app.applicationId, kind, body, type, (sent) =>
        setPhase({ step: 'uploading', percent: Math.round(sent * 100) }),
      );
      setPhase({ step: 'idle' });
      onUploaded(next);
    } catch (e) {
      setPhase({ step: 'failed', why: merchantRefusal(t, e) });
    }
  };
  const picked = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    // The same file picked again after a refusal still counts as picked.
    input.value = '';
    void send(file);
  };

  const state =
    phase.step === 'preparing'
      ? t('documents.preparing')
      : phase.step === 'uploading'
        ? t('documents.uploading', { percent: phase.percent })
        : doc
          ? t('documents.uploaded', {
              kind: doc.type === 'application/pdf' ? t('documents.pdf') : t('documents.picture'),
              size: sizeText(doc.bytes),
            })
          : t('documents.missing');

  return (
    <li className="card merchant-doc" data-testid={`document-${kind}`}>
      <div className="merchant-doc-head">
        {picture ? (
          <img className="doc-thumb" src={picture} alt={t(`documents.${kind}`)} />
        ) : (
          <span className={`doc-thumb ${doc ? 'pdf' : 'none'}`} aria-hidden>
            {doc ? 'PDF' : '+'}
          </span>
        )}
        <div className="merchant-doc-text">
          <strong>{t(`documents.${kind}`)}</strong>
          <span className={`doc-state ${doc && phase.step === 'idle' ? 'good' : ''}`}>{state}</span>
          {doc && phase.step === 'idle' && (
            <span className="muted">{t('documents.at', { at: storeDateTime(doc.at) })}</span>
          )}
        </div>
      </div>
      {phase.step === 'uploading' && (
        <ProgressBar percent={phase.percent} aria-label={state} className="doc-progress" />
      )}
      {phase.step === 'failed' && (
        <p className="refusal" role="alert">
          {t('documents.failed', { why: phase.why })}
        </p>
      )}
      {editable && (
        <div className="doc-actions">
          <Button className="tall" disabled={busy} onClick={() => camera.current?.click()}>
            {doc ? t('documents.retake') : t('documents.camera')}
          </Button>
          <Button className="tall" disabled={busy} onClick={() => picker.current?.click()}>
            {doc ? t('documents.replace') : t('documents.file')}
          </Button>
          <input
            ref={camera}
            type="file"
            accept="image/*"
            capture="environment"
            hidden
            onChange={(e) => picked(e.currentTarget)}
          />
          <input
            ref={picker}
            type="file"
            accept="image/jpeg,image/png,image/webp,application/pdf,.pdf"
            hidden
            onChange={(e) => picked(e.currentTarget)}
          />
        </div>
      )}
    </li>
  );
}
