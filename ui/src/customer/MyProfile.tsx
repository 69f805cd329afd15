// C1: my profile (name, gender, birthday, avatar, signature) and preferences (favourite teas, usual
// areas, room styles), kept by the platform and used for recommendations. Saved as a whole; a
// field the cloud refuses is named in one sentence.
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { Button, Input, NavBar, Selector, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import type { CustomerProfilePut, Gender } from '@roomhub/shared-types';
import { cloud, CloudRefusal } from '../api/cloud-client';
import { accountRefusal } from './account-refusal';
import './account.css';

const GENDERS: Gender[] = ['female', 'male', 'unsaid'];
export const ROOM_STYLES = ['tea', 'mahjong', 'chess', 'karaoke'] as const;

/** Words typed with commas or spaces between them, Chinese or not. */
export const wordsOf = (text: string): string[] =>
  [
    ...new Set(
      text
        .split(/[,，、\s]+/u)
        .map((w) => w.trim())
        .filter(Boolean),
    ),
  ].slice(0, 10);

interface Draft {
  name: string;
  gender: Gender | '';
  birthday: string;
  avatarUrl: string;
  signature: string;
  teas: string;
  areas: string;
  styles: string[];
}

const EMPTY: Draft = {
  name: '',
  gender: '',
  birthday: '',
  avatarUrl: '',
  signature: '',
  teas: '',
  areas: '',
  styles: [],
};

function toPut(d: Draft): CustomerProfilePut {
  return {
    ...(d.name.trim() ? { name: d.name.trim() } : {}),
    ...(d.gender ? { gender: d.gender } : {}),
    ...(d.birthday ? { birthday: d.birthday } : {}),
    ...(d.avatarUrl.trim() ? { avatarUrl: d.avatarUrl.trim() } : {}),
    ...(d.signature.trim() ? { signature: d.signature.trim() } : {}),
    preferences: { teas: wordsOf(d.teas), areas: wordsOf(d.areas), styles: d.styles },
  };
}

export function MyProfile() {
  const { t } = useTranslation('customer');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const profile = useQuery({ queryKey: ['my-profile'], queryFn: () => cloud.profile() });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  useEffect(() => {
    const p = profile.data;
    if (!p) return;
    setDraft({
      name: p.name ?? '',
      gender: p.gender ?? '',
      birthday: p.birthday ?? '',
      avatarUrl: p.avatarUrl ?? '',
      signature: p.signature ?? '',
      teas: p.preferences.teas.join('，'),
      areas: p.preferences.areas.join('，'),
      styles: p.preferences.styles,
    });
  }, [profile.data]);
  const save = useMutation({
    mutationFn: () => cloud.saveProfile(toPut(draft)),
    onSuccess: (saved) => {
      queries.setQueryData(['my-profile'], saved);
      Toast.show({ content: t('account.profile.saved') });
    },
  });
  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setDraft((d) => ({ ...d, [k]: v }));
  const badField = save.error instanceof CloudRefusal ? save.error.field : undefined;
  return (
    <section className="account">
      <NavBar onBack={() => void navigate('/me')}>{t('account.profile.title')}</NavBar>
      {profile.isPending && <p className="hint pad-x">{t('loading')}</p>}
      {profile.isError && (
        <p className="refusal pad-x" role="alert">
          {accountRefusal(t, profile.error)}
        </p>
      )}
      {profile.data && (
        <form
          className="account-form pad"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <label className={badField === 'name' ? 'bad' : ''}>
            <span>{t('account.profile.name')}</span>
            <Input value={draft.name} onChange={set('name')} maxLength={20} clearable />
          </label>
          <div className="field">
            <span>{t('account.profile.gender')}</span>
            <Selector
              options={GENDERS.map((g) => ({ label: t(`account.gender.${g}`), value: g }))}
              value={draft.gender ? [draft.gender] : []}
              onChange={(v) => set('gender')(v[0] ?? '')}
            />
          </div>
          <label className={badField === 'birthday' ? 'bad' : ''}>
            <span>{t('account.profile.birthday')}</span>
            <input
              className="date"
              type="date"
              value={draft.birthday}
              onChange={(e) => set('birthday')(e.target.value)}
            />
          </label>
          <label className={badField === 'avatarUrl' ? 'bad' : ''}>
            <span>{t('account.profile.avatar')}</span>
            <Input
              value={draft.avatarUrl}
              onChange={set('avatarUrl')}
              placeholder="https://"
              clearable
            />
          </label>
          <label className={badField === 'signature' ? 'bad' : ''}>
            <span>{t('account.profile.signature')}</span>
            <TextArea value={draft.signature} onChange={set('signature')} maxLength={60} rows={2} />
          </label>
          <h3>{t('account.profile.preferences')}</h3>
          <p className="hint">{t('account.profile.preferencesWhy')}</p>
          <label>
            <span>{t('account.profile.teas')}</span>
            <Input
              value={draft.teas}
              onChange={set('teas')}
              placeholder={t('account.profile.teasHint')}
            />
          </label>
          <label>
            <span>{t('account.profile.areas')}</span>
            <Input
              value={draft.areas}
              onChange={set('areas')}
              placeholder={t('account.profile.areasHint')}
            />
          </label>
          <div className="field">
            <span>{t('account.profile.styles')}</span>
            <Selector
              multiple
              options={ROOM_STYLES.map((s) => ({ label: t(`account.style.${s}`), value: s }))}
              value={draft.styles}
              onChange={set('styles')}
            />
          </div>
          {save.isError && (
            <p className="refusal" role="alert">
              {accountRefusal(t, save.error)}
            </p>
          )}
          <Button
            block
            type="submit"
            color="primary"
            size="large"
            className="tall"
            loading={save.isPending}
          >
            {t('account.profile.save')}
          </Button>
        </form>
      )}
    </section>
  );
}
