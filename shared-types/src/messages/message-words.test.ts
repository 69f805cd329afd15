// A store's own words for a kind: only the default's placeholders, the unsubscribe words kept on
// a promotional kind whatever the owner writes, and the default when the store has none.
import { describe, expect, it } from 'vitest';
import {
  MESSAGE_TEMPLATES,
  MessageKindSchema,
  MessageTemplateBodySchema,
  SAMPLE_MESSAGE_PARAMS,
  UNSUBSCRIBE_WORDS,
  messageWords,
  templatePlaceholders,
  unknownPlaceholder,
} from './messages';

describe('a store’s own message words', () => {
  it('may use only the placeholders of the kind’s default words', () => {
    expect(templatePlaceholders('booking_confirmed')).toEqual(['store', 'room', 'when']);
    expect(unknownPlaceholder('booking_confirmed', '{room}{when}见，{store}')).toBeUndefined();
    expect(unknownPlaceholder('booking_confirmed', '{store}送你{coupon}')).toBe('{coupon}');
    expect(unknownPlaceholder('booking_confirmed', '{ room }')).toBe('{ room }');
    expect(unknownPlaceholder('booking_confirmed', '{}')).toBe('{}');
  });

  it('keep the unsubscribe words on a promotional kind whatever the owner writes', () => {
    const own = { title: '新茶到了', body: '{store}有新茶：{offer}' };
    const words = messageWords('win_back', { store: '茶隐', offer: '八折' }, own);
    expect(words).toEqual({ title: '新茶到了', body: `茶隐有新茶：八折 ${UNSUBSCRIBE_WORDS}` });
    const already = messageWords(
      'win_back',
      { store: '茶隐', offer: '' },
      {
        title: 't',
        body: `{store} ${UNSUBSCRIBE_WORDS}`,
      },
    );
    expect(already.body).toBe(`茶隐 ${UNSUBSCRIBE_WORDS}`);
  });

  it('are the default without the store’s own, and every default previews with no gap', () => {
    expect(
      messageWords('payment_result', { store: '茶隐', amount: '¥1.00', what: '茶点' }),
    ).toEqual({
      title: '付款成功',
      body: '已收到你在茶隐的付款 ¥1.00（茶点）。',
    });
    for (const kind of MessageKindSchema.options) {
      for (const p of templatePlaceholders(kind))
        expect(SAMPLE_MESSAGE_PARAMS, `${kind} ${p}`).toHaveProperty(p);
      // Every default fits the rules the store's own words are held to.
      expect(MessageTemplateBodySchema.safeParse(MESSAGE_TEMPLATES[kind]).success, kind).toBe(true);
    }
  });
});
