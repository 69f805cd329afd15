// What messages need to know of a store: its message settings (the owner's switches, quiet hours
// and win-back, `settings:<storeId>` in `messages`), its name, time zone and room names for the
// words (from the profiles its hub publishes), and its owners: accounts that list the store and
// phones the platform linked to it; and the store's own words for any kind (`templates:<storeId>`,
// the owner's: a kind not there uses the default words). Names and owners are kept for a minute.
import {
  CLOUD_DBS,
  MessageSettingsSchema,
  MessageTemplateBodySchema,
  MessageKindSchema,
  type MessageKind,
  type MessageSettings,
  type MessageTemplate,
  type StoreMessageTemplates,
} from '@roomhub/shared-types';
import { z } from 'zod';
import { ownerLinks } from '../auth/owner-links';
import { isConflict, type CouchClient, type CouchDoc } from '../couch';
import { loadStoreProfiles } from '../stores/store-profiles';
import type { StoreWords } from './message-events';
import { MESSAGES_DB } from './message-contacts';

export interface StoreOwner {
  username: string;
  phone?: string;
}

export class MessageStores {
  private readonly words = new Map<string, { at: number; words: StoreWords | null }>();
  private ownersCache: { at: number; byStore: Map<string, StoreOwner[]> } | undefined;

  constructor(private readonly d: { couch: CouchClient; clock: { now(): number } }) {}

  async settings(storeId: string): Promise<MessageSettings> {
    const doc = await this.d.couch.get(MESSAGES_DB, `settings:${storeId}`);
    const parsed = MessageSettingsSchema.safeParse(doc?.settings ?? {});
    return parsed.success ? parsed.data : MessageSettingsSchema.parse({});
  }

  async putSettings(storeId: string, settings: MessageSettings): Promise<MessageSettings> {
    const id = `settings:${storeId}`;
    for (;;) {
      const current = await this.d.couch.get(MESSAGES_DB, id);
      try {
        await this.d.couch.put(MESSAGES_DB, {
          _id: id,
          ...(current?._rev ? { _rev: current._rev } : {}),
          type: 'message_settings',
          settings,
          updatedAt: new Date(this.d.clock.now()).toISOString(),
        });
        return settings;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  /** The store's own words, by kind (none: every kind in its default words). */
  async templates(storeId: string): Promise<StoreMessageTemplates> {
    const doc = await this.d.couch.get(MESSAGES_DB, `templates:${storeId}`);
    const parsed = StoreTemplatesSchema.safeParse(doc?.templates ?? {});
    return parsed.success ? (parsed.data as StoreMessageTemplates) : {};
  }

  /** Sets the store's own words for a kind, or (`null`) goes back to its default. */
  async putTemplate(
    storeId: string,
    kind: MessageKind,
    words: MessageTemplate | null,
  ): Promise<StoreMessageTemplates> {
    const id = `templates:${storeId}`;
    for (;;) {
      const current = await this.d.couch.get(MESSAGES_DB, id);
      const parsed = StoreTemplatesSchema.safeParse(current?.templates ?? {});
      const templates = { ...(parsed.success ? parsed.data : {}) } as StoreMessageTemplates;
      if (words) templates[kind] = words;
      else delete templates[kind];
      try {
        await this.d.couch.put(MESSAGES_DB, {
          _id: id,
          ...(current?._rev ? { _rev: current._rev } : {}),
          type: 'message_templates',
          templates,
          updatedAt: new Date(this.d.clock.now()).toISOString(),
        });
        return templates;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  async storeWords(storeId: string): Promise<StoreWords | null> {
    const nowMs = this.d.clock.now();
    const cached = this.words.get(storeId);
    if (cached && cached.at > nowMs - 60_000 && cached.words) return cached.words;
    const profiles = await loadStoreProfiles(this.d.couch, storeId);
    const words = profiles
      ? {
          name: profiles.store.name,
          timeZone: profiles.store.timeZone,
          rooms: new Map(profiles.rooms.map((r) => [r.roomId, r.name])),
        }
      : null;
    this.words.set(storeId, { at: nowMs, words });
    return words;
  }

  /** The owners of a store: accounts that list it, and phones the platform linked to it. */
  async ownersOf(storeId: string): Promise<{ username: string; phone?: string }[]> {
    const nowMs = this.d.clock.now();
    if (!this.ownersCache || this.ownersCache.at < nowMs - 60_000) {
      const byStore = new Map<string, { username: string; phone?: string }[]>();
      const add = (s: string, o: { username: string; phone?: string }) => {
        const list = byStore.get(s) ?? [];
        if (!list.some((x) => x.username === o.username)) list.push(o);
        byStore.set(s, list);
      };
      for (const doc of await this.d.couch.byPrefix(CLOUD_DBS.owners, 'owner:')) {
        const o = doc as CouchDoc & { username?: string; phone?: string; storeIds?: string[] };
        if (!o.username || !Array.isArray(o.storeIds)) continue;
        const phone = o.phone ?? (/^1\d{10}$/.test(o.username) ? o.username : undefined);
        for (const s of o.storeIds) add(s, { username: o.username, ...(phone ? { phone } : {}) });
      }
      for (const link of await ownerLinks(this.d.couch)) {
        for (const s of link.storeIds) add(s, { username: link.phone, phone: link.phone });
      }
      this.ownersCache = { at: nowMs, byStore };
    }
    return this.ownersCache.byStore.get(storeId) ?? [];
  }
}

const StoreTemplatesSchema = z.partialRecord(MessageKindSchema, MessageTemplateBodySchema);
