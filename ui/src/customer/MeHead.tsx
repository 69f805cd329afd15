// The top of "我的": my avatar, name, signature and masked phone; a tap opens my profile.
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { cloud } from '../api/cloud-client';
import './account.css';

export function MeHead() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const profile = useQuery({ queryKey: ['my-profile'], queryFn: () => cloud.profile() });
  const p = profile.data;
  return (
    <button className="me-head" onClick={() => void navigate('/me/profile')}>
      {p?.avatarUrl ? (
        <img src={p.avatarUrl} alt="" />
      ) : (
        <span className="avatar" aria-hidden>
          {(p?.name ?? '我').slice(0, 1)}
        </span>
      )}
      <span>
        <strong>{p?.name ?? t('account.me.noName')}</strong>
        <span className="muted">{p?.signature ?? t('account.me.edit')}</span>
        {p?.phone && <span className="muted">{p.phone}</span>}
      </span>
    </button>
  );
}
