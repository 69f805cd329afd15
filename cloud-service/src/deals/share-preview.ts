// What a deal's share link shows where it is pasted (a chat, a browser): the page at
// /h5/stores/:storeId/deals/:dealId is served with Open Graph tags naming the deal, its price
// against the usual one, the store, and a picture: the deal's first photo, else the store's logo
// or first photo, else the link's QR code in the store's colour (a PNG made here, no words in it,
// so no fonts are needed on the server). A deal no longer on sale gets no tags. Reads only.
import type { Request } from 'express';
import QRCode from 'qrcode';
import { ShareCodeSchema, type OnlineDealView, type StorePage } from '@roomhub/shared-types';
import type { DealSales } from './deal-sales';
import { dealPagePath } from './deal-shares';
import type { StoreService } from '../stores/store.service';

const DEAL_PAGE = /^\/h5\/stores\/([^/]+)\/deals\/([^/]+)\/?$/;

/** The platform's colour when the store has none of its own. */
const PLATFORM_THEME = '#1677ff';

export interface LinkPreview {
  title: string;
  description: string;
  /** Absolute. */
  image: string;
  url: string;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);
const escapeAttr = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The tags for a page's head. */
export function previewTags(p: LinkPreview): string {
  const tags: [string, string][] = [
    ['og:type', 'website'],
    ['og:title', p.title],
    ['og:description', p.description],
    ['og:image', p.image],
    ['og:url', p.url],
  ];
  return (
    tags.map(([k, v]) => `<meta property="${k}" content="${escapeAttr(v)}" />`).join('') +
    `<meta name="description" content="${escapeAttr(p.description)}" />` +
    `<meta name="twitter:card" content="summary_large_image" />`
  );
}

export interface SharePreviewsDeps {
  sales: Pick<DealSales, 'deal'>;
  stores: Pick<StoreService, 'page'>;
  /** The address customers reach the cloud at; unset, the request's own. */
  publicUrl?: string;
}

export class SharePreviews {
  constructor(private readonly d: SharePreviewsDeps) {}

  /** The preview of a page of the customer's pages, when it is a deal on sale. */
  async forRequest(req: Request): Promise<LinkPreview | undefined> {
    const m = DEAL_PAGE.exec(req.path);
    if (!m) return undefined;
    const [storeId, dealId] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
    const found = await this.dealOf(storeId, dealId);
    if (!found) return undefined;
    const { deal, page } = found;
    const shared = ShareCodeSchema.safeParse(req.query.share);
    const code = shared.success ? shared.data : undefined;
    const origin = this.origin(req);
    const url = origin + dealPagePath(storeId, dealId, code);
    const picture = deal.photos[0] ?? page.store.logo ?? page.store.photos[0];
    const qr = `/api/deals/${encodeURIComponent(dealId)}/share-qr.png${code ? `?share=${code}` : ''}`;
    return {
      title: deal.title,
      description: describe(deal, page),
      image: new URL(picture ?? qr, origin).toString(),
      url,
    };
  }

  /** The share link of a deal on sale as a QR code, in the store's colour, as a PNG. */
  async qrPng(req: Request, dealId: string, code: string | undefined): Promise<Buffer> {
    const deal = await this.d.sales.deal(dealId);
    const page = await this.d.stores.page(deal.storeId);
    const url = this.origin(req) + dealPagePath(deal.storeId, dealId, code);
    return QRCode.toBuffer(url, {
      type: 'png',
      width: 600,
      margin: 2,
      errorCorrectionLevel: 'M',
      color: { dark: page.store.theme ?? PLATFORM_THEME, light: '#ffffff' },
    });
  }

  private async dealOf(
    storeId: string,
    dealId: string,
  ): Promise<{ deal: OnlineDealView; page: StorePage } | undefined> {
    try {
      const deal = await this.d.sales.deal(dealId);
      if (deal.storeId !== storeId) return undefined;
      return { deal, page: await this.d.stores.page(storeId) };
    } catch {
      // Not on sale (or not shown): the page opens as any other, saying so itself.
      return undefined;
    }
  }

  private origin(req: Request): string {
    return (this.d.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(
      /\/+$/,
      '',
    );
  }
}

/** The line under the title: the store, the price against the usual one, the deal's own words. */
function describe(deal: OnlineDealView, page: StorePage): string {
  const price =
    deal.originalPrice !== null && deal.originalPrice > deal.price
      ? `团购价 ¥${yuan(deal.price)}（原价 ¥${yuan(deal.originalPrice)}）`
      : `团购价 ¥${yuan(deal.price)}`;
  return [page.store.name, price, deal.description.trim()].filter(Boolean).join(' · ');
}

/** The previews of the cloud's deals and store pages (app.ts, routes.ts). */
export function sharePreviewsOf(cloud: {
  deals: { sales: Pick<DealSales, 'deal'> };
  stores: Pick<StoreService, 'page'>;
  publicUrl?: string | undefined;
}): SharePreviews {
  return new SharePreviews({
    sales: cloud.deals.sales,
    stores: cloud.stores,
    ...(cloud.publicUrl ? { publicUrl: cloud.publicUrl } : {}),
  });
}
