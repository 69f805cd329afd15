// The store (O1): its name, address and place on the map, opening hours, phone, logo and photos,
// as the customer's pages and the kiosk show them. The hub checks every field; a refusal names it.
// The details card reads and changes the store through the source the page passes: the hub at
// the store, or the cloud from anywhere, where a change waits while the store is offline.
import { useEffect, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Empty,
  Form,
  Image,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  formName,
  hubStore,
  type OwnerStoreSource,
  type StoreChange,
} from '../../api/owner-client';
import { useChangeAnswers } from '../change-answers';
import { ownerRefusal } from '../refusal-text';
import { TablesSettings } from './TablesSettings';

interface StoreForm {
  name: string;
  address: string;
  phone: string;
  open: string;
  close: string;
  logoUrl: string;
  /** `#rrggbb`, or empty for the platform's own colour. */
  theme: string;
  photos: string[];
  lat: number | null;
  lng: number | null;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function StorePage() {
  return (
    <StoreDetailsCard source={hubStore}>
      <TablesSettings />
    </StoreDetailsCard>
  );
}

export function StoreDetailsCard({
  source,
  title,
  children,
}: {
  source: OwnerStoreSource;
  /** The card's title where the page shows several stores' (the store's name before it). */
  title?: ReactNode;
  /** What only the store's own page has below the details. */
  children?: ReactNode;
}) {
  const { t } = useTranslation('owner');
  const answers = useChangeAnswers([source.key, ...source.touches], t('changes.waiting'));
  const store = useQuery({
    queryKey: source.key,
    queryFn: () => source.store(),
    refetchInterval: source.refetchInterval,
  });
  const [form] = Form.useForm<StoreForm>();
  const logo = Form.useWatch('logoUrl', form);
  const theme = Form.useWatch('theme', form) ?? '';
  const photos = Form.useWatch('photos', form) ?? [];
  useEffect(() => {
    const s = store.data;
    if (!s) return;
    form.setFieldsValue({
      name: s.name,
      address: s.address,
      phone: s.phone,
      open: s.hours.open,
      close: s.hours.close,
      logoUrl: s.logoUrl ?? '',
      theme: s.theme ?? '',
      photos: s.photos,
      lat: s.location?.lat ?? null,
      lng: s.location?.lng ?? null,
    });
  }, [store.data, form]);
  const save = useMutation({
    mutationFn: (v: StoreForm) => {
      const change: StoreChange = {
        name: v.name,
        address: v.address,
        phone: v.phone,
        hours: { open: v.open, close: v.close },
        logoUrl: v.logoUrl.trim() || null,
        theme: v.theme.trim() || null,
        photos: v.photos,
      };
      if (v.lat !== null && v.lng !== null) change.location = { lat: v.lat, lng: v.lng };
      return source.change(change);
    },
    onSuccess: (answer) => answers.answered(answer, t('store.saved')),
    onError: (e) => answers.refused(e),
  });
  if (store.isPending) return <Spin />;
  if (store.isError) return <Alert type="error" showIcon title={ownerRefusal(t, store.error)} />;
  return (
    <Card title={title ?? t('store.title')}>
      <Form<StoreForm>
        name={formName('store', source)}
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          name="name"
          label={t('store.name')}
          rules={[{ required: true, whitespace: true, max: 60, message: t('store.nameRule') }]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="address"
          label={t('store.address')}
          rules={[{ required: true, whitespace: true, max: 200, message: t('store.addressRule') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label={t('store.location')} extra={t('store.locationHelp')}>
          <Space>
            <Form.Item name="lat" noStyle>
              <InputNumber
                aria-label={t('store.lat')}
                placeholder={t('store.lat')}
                min={-90}
                max={90}
                step={0.000001}
                style={{ width: 180 }}
              />
            </Form.Item>
            <Form.Item name="lng" noStyle>
              <InputNumber
                aria-label={t('store.lng')}
                placeholder={t('store.lng')}
                min={-180}
                max={180}
                step={0.000001}
                style={{ width: 180 }}
              />
            </Form.Item>
          </Space>
        </Form.Item>
        <Space size="large" align="start">
          <Form.Item
            name="open"
            label={t('store.open')}
            rules={[{ required: true, pattern: TIME, message: t('store.timeRule') }]}
          >
            <Input placeholder="09:00" style={{ width: 120 }} maxLength={5} />
          </Form.Item>
          <Form.Item
            name="close"
            label={t('store.close')}
            rules={[{ required: true, pattern: TIME, message: t('store.timeRule') }]}
          >
            <Input placeholder="24:00" style={{ width: 120 }} maxLength={5} />
          </Form.Item>
        </Space>
        <Form.Item
          name="phone"
          label={t('store.phone')}
          rules={[{ required: true, whitespace: true, max: 30, message: t('store.phoneRule') }]}
        >
          <Input maxLength={30} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="logoUrl" label={t('store.logo')} extra={t('store.urlHelp')}>
          <Input maxLength={500} placeholder="/media/logo.png" />
        </Form.Item>
        {logo ? (
          <Image src={logo} alt={t('store.logo')} width={96} className="gap" />
        ) : (
          <p className="muted">{t('store.noLogo')}</p>
        )}
        <Form.Item
          name="theme"
          label={t('store.theme')}
          extra={t('store.themeHelp')}
          className="gap"
          rules={[{ pattern: /^#[0-9a-fA-F]{6}$/, message: t('store.themeRule') }]}
        >
          <Input
            maxLength={7}
            placeholder="#8a4b2a"
            style={{ width: 200 }}
            prefix={
              <span
                aria-hidden
                style={{
                  display: 'inline-block',
                  width: 16,
                  height: 16,
                  borderRadius: 4,
                  border: '1px solid #d9d9d9',
                  background: /^#[0-9a-fA-F]{6}$/.test(theme) ? theme : 'transparent',
                }}
              />
            }
          />
        </Form.Item>
        <Form.Item
          name="photos"
          label={t('store.photos')}
          extra={t('store.photosHelp')}
          className="gap"
        >
          <Select mode="tags" tokenSeparators={[' ', ',']} open={false} maxCount={20} />
        </Form.Item>
        {photos.length === 0 ? (
          <Empty description={t('store.noPhotos')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Image.PreviewGroup>
            <Space wrap>
              {photos.map((p) => (
                <Image key={p} src={p} width={120} height={80} alt="" />
              ))}
            </Space>
          </Image.PreviewGroup>
        )}
        <Button type="primary" htmlType="submit" loading={save.isPending} className="gap">
          {t('store.save')}
        </Button>
      </Form>
      {children}
    </Card>
  );
}
