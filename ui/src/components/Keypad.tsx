// A numeric keypad for the touchscreen: the kiosk has no keyboard. Keys are at least 72 px, well
// over the 48 px a finger needs.
import { useTranslation } from 'react-i18next';

interface Props {
  value: string;
  maxLength: number;
  onChange: (value: string) => void;
  /** Shown in place of the digits while nothing is typed. */
  placeholder?: string;
  /** Dots instead of the digits typed. */
  masked?: boolean;
  testId?: string;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'delete'] as const;

export function Keypad({ value, maxLength, onChange, placeholder, masked, testId }: Props) {
  const { t } = useTranslation();
  const press = (key: (typeof KEYS)[number]) => {
    if (key === 'clear') onChange('');
    else if (key === 'delete') onChange(value.slice(0, -1));
    else if (value.length < maxLength) onChange(value + key);
  };
  return (
    <div className="keypad" data-testid={testId}>
      <div className={`keypad-display${value ? '' : ' keypad-placeholder'}`} aria-live="polite">
        {value ? (masked ? '•'.repeat(value.length) : value) : (placeholder ?? '')}
      </div>
      <div className="keypad-keys">
        {KEYS.map((key) => (
          <button
            key={key}
            type="button"
            className={`keypad-key${key.length > 1 ? ' keypad-key-word' : ''}`}
            onClick={() => press(key)}
            aria-label={key.length > 1 ? t(key) : key}
          >
            {key.length > 1 ? t(key) : key}
          </button>
        ))}
      </div>
    </div>
  );
}
