// Which display each store screen goes on: the kiosk on the touchscreen, the cashier's screen on
// another display when the settings ask for one. Pure: it reads the displays it is given and
// never opens a window.
import type { DisplayInfo } from './electron-api';
import type { ShellSettings } from './settings';

export interface ScreenPlaces {
  kiosk: DisplayInfo;
  /** Null when the settings keep the cashier screen off, or its display is not connected. */
  cashier: DisplayInfo | null;
}

/**
 * The kiosk goes on the display the settings name, else the first touchscreen, else the primary
 * display. The cashier's goes on the display the settings name, or any other one for "other";
 * never on the kiosk's own display (a customer would be looking at the till).
 */
export function placeScreens(
  displays: DisplayInfo[],
  primary: DisplayInfo,
  settings: Pick<ShellSettings, 'kioskDisplay' | 'cashierDisplay'>,
): ScreenPlaces {
  const byId = (id: number | undefined) => displays.find((d) => d.id === id);
  const kiosk =
    byId(settings.kioskDisplay) ?? displays.find((d) => d.touchSupport === 'available') ?? primary;
  const wanted = settings.cashierDisplay;
  const cashier =
    wanted === 'off'
      ? undefined
      : wanted === 'other'
        ? displays.find((d) => d.id !== kiosk.id)
        : byId(wanted);
  return { kiosk, cashier: cashier && cashier.id !== kiosk.id ? cashier : null };
}
