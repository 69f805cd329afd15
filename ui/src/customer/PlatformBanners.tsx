// The platform's campaigns and banners at the top of the stores page (P2): what the platform
// placed and is running now; a tap follows its link. Nothing shows when there is none.
import { useQuery } from '@tanstack/react-query';
import { Swiper } from 'antd-mobile';
import type { PlatformCampaignView } from '@roomhub/shared-types';

async function running(): Promise<PlatformCampaignView[]> {
  const res = await fetch('/api/campaigns');
  return res.ok ? ((await res.json()) as PlatformCampaignView[]) : [];
}

export function PlatformBanners() {
  const q = useQuery({ queryKey: ['campaigns'], queryFn: running, staleTime: 300_000 });
  if (!q.data || q.data.length === 0) return null;
  return (
    <Swiper
      autoplay
      loop={q.data.length > 1}
      data-testid="platform-banners"
      style={{ margin: '8px 12px' }}
    >
      {q.data.map((c) => (
        <Swiper.Item key={c.campaignId}>
          <a
            href={c.link ?? undefined}
            style={{
              display: 'block',
              borderRadius: 8,
              padding: '14px 16px',
              color: '#fff',
              textDecoration: 'none',
              background: c.imageUrl
                ? `center / cover no-repeat url("${c.imageUrl}")`
                : 'linear-gradient(120deg, #2f6b4f, #5b8c5a)',
            }}
          >
            <strong style={{ fontSize: 16 }}>{c.title}</strong>
            {c.text && <div style={{ fontSize: 13, opacity: 0.9, marginTop: 4 }}>{c.text}</div>}
          </a>
        </Swiper.Item>
      ))}
    </Swiper>
  );
}
