// C13: my messages (bookings confirmed, refunds, reminders, coupons, offers), newest first, unread
// marked; a tap reads one and opens its order. Below, offers by SMS on or off.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button, NavBar, Switch, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { talk } from '../api/talk-client';
import { storeDateTime } from './talk-time';
import { customerRefusal } from './refusal-text';

export function MyMessages() {
  const { t } = useTranslation('talk');
  const { t: tc } = useTranslation('customer');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const inbox = useQuery({ queryKey: ['inbox'], queryFn: talk.inbox, refetchInterval: 15_000 });
  const refresh = () => void queries.invalidateQueries({ queryKey: ['inbox'] });
  const read = useMutation({ mutationFn: talk.read, onSuccess: refresh });
  const readAll = useMutation({ mutationFn: talk.readAll, onSuccess: refresh });
  const offers = useMutation({
    mutationFn: talk.offers,
    onSuccess: (r) => {
      Toast.show(r.optIn ? t('inbox.offersOn') : t('inbox.offersOff'));
      refresh();
    },
    onError: (e) => Toast.show(customerRefusal(tc, e)),
  });
  const data = inbox.data;
  return (
    <section>
      <NavBar onBack={() => void navigate('/me')}>{t('inbox.title')}</NavBar>
      {inbox.isError && (
        <p className="refusal pad-x" role="alert">
          {customerRefusal(tc, inbox.error)}
        </p>
      )}
      {data && data.messages.length === 0 && <p className="hint pad-x">{t('inbox.none')}</p>}
      {data && data.unread > 0 && (
        <p className="pad-x talk-head">
          <span>{t('inbox.unread', { count: data.unread })}</span>
          <Button size="mini" onClick={() => readAll.mutate()}>
            {t('inbox.readAll')}
          </Button>
        </p>
      )}
      <ul className="cards">
        {data?.messages.map((m) => (
          <li
            key={m.id}
            className={`card message ${m.read ? 'read' : 'unread'}`}
            onClick={() => {
              if (!m.read) read.mutate(m.id);
              if (m.bookingId) void navigate(`/orders/${m.bookingId}`);
            }}
          >
            <span className="room-head">
              <strong>{m.title}</strong>
              <span className="muted">{storeDateTime(m.at)}</span>
            </span>
            <span>{m.body}</span>
            {m.bookingId && <span className="link">{t('inbox.toOrder')}</span>}
          </li>
        ))}
      </ul>
      <div className="pad-x talk-offers">
        <span>
          <strong>{t('inbox.offers')}</strong>
          <span className="muted">{t('inbox.offersHint')}</span>
        </span>
        <Switch
          aria-label={t('inbox.offers')}
          checked={offers.isPending ? offers.variables : (data?.offers ?? false)}
          loading={offers.isPending}
          onChange={(on) => offers.mutate(on)}
        />
      </div>
      <p className="pad-x">
        <Button block onClick={() => void navigate('/chats')}>
          {t('chat.list')}
        </Button>
      </p>
    </section>
  );
}
