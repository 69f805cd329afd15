// Where the customer is: the phone's location when they allow it, else the city centre (so the
// list still shows, nearest to the centre first); and a link that opens a store in a map app.

/** People's Square, Shanghai: the centre the list is measured from without the phone's location. */
export const CITY_CENTRE = { lat: 31.2304, lng: 121.4737 };

export interface Where {
  lat: number;
  lng: number;
  /** True when this is the phone's own location. */
  located: boolean;
}

export function whereAmI(timeoutMs = 5000): Promise<Where> {
  const centre: Where = { ...CITY_CENTRE, located: false };
  if (typeof navigator === 'undefined' || !navigator.geolocation) return Promise.resolve(centre);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(centre), timeoutMs + 500);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        clearTimeout(timer);
        resolve({ lat: p.coords.latitude, lng: p.coords.longitude, located: true });
      },
      () => {
        clearTimeout(timer);
        resolve(centre);
      },
      { timeout: timeoutMs, maximumAge: 600_000 },
    );
  });
}

/** The store on Amap's web map, which hands over to the map app for directions. */
export function mapLink(store: { name: string; location: { lat: number; lng: number } }): string {
  const { lat, lng } = store.location;
  return `https://uri.amap.com/marker?position=${lng},${lat}&name=${encodeURIComponent(store.name)}&callnative=1`;
}

/** A distance as a phone shows it: metres under a kilometre, else one decimal of km. */
export function distanceText(km: number): string {
  return km < 1 ? `${Math.round(km * 1000)} m` : `${km.toFixed(1)} km`;
}
