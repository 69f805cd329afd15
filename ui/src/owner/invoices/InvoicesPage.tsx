// 发票: the electronic invoices customers asked for from their orders, waiting first. The owner (or
// a manager) makes each out in the tax bureau's system (电子税务局) or their invoicing provider,
// then sends it here: the PDF that system produced, with the invoice's number and date as printed;
// or turns the request down saying why. The hub checks the file is a whole PDF, keeps it, and the
// customer downloads it from their order; they are told either way.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Upload,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  INVOICE_PDF_MAX_BYTES,
  type InvoiceStatus,
  type InvoiceTitle,
  type InvoiceView,
} from '@roomhub/shared-types';
import { yuan } from '../../components/yuan';
import { ownerRefusal } from '../refusal-text';
import { invoiceClient } from './invoice-client';

type Filter = InvoiceStatus | 'all';

/** Today on this computer, YYYY-MM-DD: the date an invoice made just now carries. */
const today = () => {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
};

const TONE: Record<InvoiceStatus, string> = { waiting: 'orange', issued: 'green', rejected: 'red' };

export function InvoicesPage() {
  const { t } = useTranslation('owner');
  const [filter, setFilter] = useState<Filter>('waiting');
  const [issuing, setIssuing] = useState<InvoiceView | null>(null);
  const [rejecting, setRejecting] = useState<InvoiceView | null>(null);
  const queries = useQueryClient();
  const { message } = App.useApp();
  const list = useQuery({
    queryKey: ['invoices', filter],
    queryFn: () => invoiceClient.list(filter === 'all' ? undefined : filter),
    refetchInterval: 15_000,
  });
  const counts = list.data?.counts;
  const label = (f: Filter) =>
    f === 'all'
      ? t('invoices.filter.all')
      : `${t(`invoices.status.${f}`)}${counts ? ` (${counts[f]})` : ''}`;
  return (
    <Card title={t('invoices.title')} data-testid="invoices-page">
      <p className="muted">{t('invoices.how')}</p>
      <Segmented<Filter>
        value={filter}
        onChange={setFilter}
        options={(['waiting', 'issued', 'rejected', 'all'] as const).map((f) => ({
          value: f,
          label: label(f),
        }))}
        style={{ marginBottom: 16 }}
      />
      <Table<InvoiceView>
        rowKey="id"
        size="middle"
        loading={list.isFetching && !list.data}
        dataSource={list.data?.invoices ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('invoices.none') }}
        expandable={{ expandedRowRender: (inv) => <Details inv={inv} /> }}
        columns={[
          {
            key: 'requestedAt',
            title: t('invoices.requestedAt'),
            render: (_, inv) => inv.requestedAt.slice(0, 16).replace('T', ' '),
          },
          {
            key: 'order',
            title: t('invoices.order'),
            render: (_, inv) => (
              <span>
                {inv.bookingNumber ? `#${inv.bookingNumber} ` : ''}
                {inv.roomName} · {inv.bookingStart.slice(0, 16).replace('T', ' ')}
              </span>
            ),
          },
          {
            key: 'title',
            title: t('invoices.buyer'),
            render: (_, inv) => (
              <span>
                <Tag>{t(`invoices.kind.${inv.title.kind}`)}</Tag>
                {inv.title.name}
                {inv.title.kind === 'company' && (
                  <div className="muted" style={{ fontFamily: 'monospace' }}>
                    {inv.title.taxId}
                  </div>
                )}
              </span>
            ),
          },
          {
            key: 'amount',
            title: t('invoices.amount'),
            align: 'right',
            render: (_, inv) => `¥${yuan(inv.amount)}`,
          },
          {
            key: 'status',
            title: t('invoices.statusTitle'),
            render: (_, inv) => (
              <Tag color={TONE[inv.status]} data-testid={`invoice-status-${inv.id}`}>
                {t(`invoices.status.${inv.status}`)}
              </Tag>
            ),
          },
          {
            key: 'act',
            title: '',
            render: (_, inv) =>
              inv.status === 'waiting' ? (
                <Space>
                  <Button type="primary" onClick={() => setIssuing(inv)}>
                    {t('invoices.issue')}
                  </Button>
                  <Button danger onClick={() => setRejecting(inv)}>
                    {t('invoices.reject')}
                  </Button>
                </Space>
              ) : inv.status === 'issued' ? (
                <PdfButton inv={inv} />
              ) : null,
          },
        ]}
      />
      {issuing && (
        <IssueDialog
          amount={issuing.amount}
          title={issuing.title}
          issue={async (number, issuedOn, pdf) => {
            await invoiceClient.issue(issuing.id, number, issuedOn, pdf);
            void message.success(t('invoices.issued'));
            await queries.invalidateQueries({ queryKey: ['invoices'] });
          }}
          onClose={() => setIssuing(null)}
        />
      )}
      {rejecting && (
        <RejectDialog
          name={rejecting.title.name}
          reject={async (reason) => {
            await invoiceClient.reject(rejecting.id, reason);
            await queries.invalidateQueries({ queryKey: ['invoices'] });
          }}
          onClose={() => setRejecting(null)}
        />
      )}
    </Card>
  );
}

function Details({ inv }: { inv: InvoiceView }) {
  const { t } = useTranslation('owner');
  return (
    <Descriptions size="small" column={2}>
      <Descriptions.Item label={t('invoices.email')}>{inv.email ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('invoices.bookingId')}>{inv.bookingId}</Descriptions.Item>
      {inv.number && (
        <Descriptions.Item label={t('invoices.number')}>{inv.number}</Descriptions.Item>
      )}
      {inv.issuedOn && (
        <Descriptions.Item label={t('invoices.issuedOn')}>{inv.issuedOn}</Descriptions.Item>
      )}
      {inv.rejectReason && (
        <Descriptions.Item label={t('invoices.reason')}>{inv.rejectReason}</Descriptions.Item>
      )}
      {inv.decidedBy && (
        <Descriptions.Item label={t('invoices.decidedBy')}>
          {inv.decidedBy} · {inv.decidedAt?.slice(0, 16).replace('T', ' ')}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

function PdfButton({ inv }: { inv: InvoiceView }) {
  const { t } = useTranslation('owner');
  const { message } = App.useApp();
  const open = async () => {
    try {
      const blob = await invoiceClient.pdf(inv.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `发票-${inv.number ?? inv.id}.pdf`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      void message.error(ownerRefusal(t, e));
    }
  };
  return <Button onClick={() => void open()}>{t('invoices.pdf')}</Button>;
}

/** Words for the hub's refusals of an invoice, the dashboard's general ones otherwise. */
function refusalWords(t: ReturnType<typeof useTranslation>['t'], e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  const own = typeof code === 'string' ? t(`invoices.errors.${code}`, { defaultValue: '' }) : '';
  return own || ownerRefusal(t, e);
}

/**
 * Sending an invoice made in the tax system: its PDF, number and date. `issue` sends them (to the
 * hub at the store, or from afar as an owner intent); a refusal is said in the dialog, which stays
 * open, and the file is checked for size before it goes.
 */
export function IssueDialog(p: {
  amount: number;
  title: InvoiceTitle;
  issue: (number: string, issuedOn: string, pdf: File) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation('owner');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const [form] = Form.useForm<{ number: string; issuedOn: string }>();
  const send = async () => {
    setSaid(null);
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (!file) {
      setSaid(t('invoices.pickPdf'));
      return;
    }
    if (file.size > INVOICE_PDF_MAX_BYTES) {
      setSaid(t('invoices.errors.invoice_pdf_too_large'));
      return;
    }
    setBusy(true);
    try {
      await p.issue(v.number.trim(), v.issuedOn, file);
      p.onClose();
    } catch (e) {
      setSaid(refusalWords(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('invoices.issueTitle', { name: p.title.name })}
      okText={t('invoices.send')}
      cancelText={t('invoices.cancel')}
      confirmLoading={busy}
      onOk={() => void send()}
      onCancel={p.onClose}
      destroyOnHidden
    >
      <p>
        {t('invoices.issueWhat', {
          amount: yuan(p.amount),
          name: p.title.name,
          taxId: p.title.kind === 'company' ? p.title.taxId : t('invoices.kind.personal'),
        })}
      </p>
      <Form form={form} layout="vertical" initialValues={{ issuedOn: today() }}>
        <Form.Item label={t('invoices.pdfFile')} required>
          <Upload
            accept="application/pdf,.pdf"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              return false;
            }}
            onRemove={() => setFile(null)}
          >
            <Button data-testid="pick-pdf">{t('invoices.choosePdf')}</Button>
          </Upload>
        </Form.Item>
        <Form.Item
          name="number"
          label={t('invoices.number')}
          rules={[
            { required: true, message: t('invoices.numberMissing') },
            { pattern: /^\s*[0-9]{8,20}\s*$/, message: t('invoices.numberRule') },
          ]}
        >
          <Input inputMode="numeric" maxLength={20} placeholder={t('invoices.numberHint')} />
        </Form.Item>
        <Form.Item
          name="issuedOn"
          label={t('invoices.issuedOn')}
          rules={[{ required: true, message: t('invoices.issuedOnMissing') }]}
        >
          <Input type="date" aria-label={t('invoices.issuedOn')} />
        </Form.Item>
      </Form>
      {said && (
        <p className="refusal" role="alert" style={{ color: '#c0392b' }}>
          {said}
        </p>
      )}
    </Modal>
  );
}

/**
 * Turning a request down, with the reason the customer reads: `reject` sends it (at the store, or
 * from afar as an owner intent); a refusal is said in the dialog, which stays open.
 */
export function RejectDialog(p: {
  name: string;
  reject: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation('owner');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const send = async () => {
    if (reason.trim().length < 2) {
      setSaid(t('invoices.reasonMissing'));
      return;
    }
    setBusy(true);
    setSaid(null);
    try {
      await p.reject(reason.trim());
      p.onClose();
    } catch (e) {
      setSaid(refusalWords(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('invoices.rejectTitle', { name: p.name })}
      okText={t('invoices.reject')}
      okButtonProps={{ danger: true }}
      cancelText={t('invoices.cancel')}
      confirmLoading={busy}
      onOk={() => void send()}
      onCancel={p.onClose}
      destroyOnHidden
    >
      <Input.TextArea
        aria-label={t('invoices.reason')}
        rows={3}
        maxLength={200}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t('invoices.reasonHint')}
      />
      {said && (
        <p className="refusal" role="alert" style={{ color: '#c0392b' }}>
          {said}
        </p>
      )}
    </Modal>
  );
}
