// C14's ways in from other pages: the store page's button to its tables (等人拼桌), and on an
// order that is a shared table's booking, a line to its table.
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { customerToken } from '../api/cloud-client';
import { tablesCloud, useTablesWords } from './TablesCalls';

export function TablesLink({ storeId }: { storeId: string }) {
  useTablesWords();
  const { t } = useTranslation('tables');
  const navigate = useNavigate();
  return (
    <Button className="tall" onClick={() => void navigate(`/stores/${storeId}/tables`)}>
      {t('link')}
    </Button>
  );
}

export function TableOfOrder({ bookingId }: { bookingId: string }) {
  useTablesWords();
  const { t } = useTranslation('tables');
  const navigate = useNavigate();
  const mine = useQuery({
    queryKey: ['my-tables'],
    queryFn: () => tablesCloud.mine(),
    enabled: Boolean(customerToken()),
  });
  const table = mine.data?.find((m) => m.bookingId === bookingId);
  if (!table) return null;
  return (
    <Button
      block
      className="tall"
      onClick={() => void navigate(`/stores/${table.storeId}/tables/${table.tableId}`)}
    >
      {t('order')}
    </Button>
  );
}
