// An item's photos as the customer's menu shows them: one address each, typed and confirmed with
// Enter (or pasted, separated by spaces or commas), at most six, as the menu takes them.
import { Form, Select } from 'antd';
import { useTranslation } from 'react-i18next';

export const MAX_ITEM_PHOTOS = 6;

export function ItemPhotosField({ name = 'photos' }: { name?: string }) {
  const { t } = useTranslation('owner');
  return (
    <Form.Item
      name={name}
      label={t('products.photos')}
      extra={t('products.photosHelp', { n: MAX_ITEM_PHOTOS })}
    >
      <Select
        mode="tags"
        tokenSeparators={[' ', ',', '，']}
        open={false}
        maxCount={MAX_ITEM_PHOTOS}
      />
    </Form.Item>
  );
}
