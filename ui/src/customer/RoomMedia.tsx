// C2: a room's photos and its video on the customer's store page. The photos sit in a row the
// thumb scrolls; the video is under them, played in the page (playsInline: a phone would otherwise
// go full screen at once) and fetching only its length and first frame until tapped, to spare the
// customer's data. Shows what the cloud sends: the version the platform approved.
import { useTranslation } from 'react-i18next';
import type { StorePage } from '@roomhub/shared-types';
import './room-media.css';

type RoomShown = Pick<StorePage['rooms'][number], 'name' | 'photos' | 'video' | 'videoPoster'>;

export function RoomMedia({ room }: { room: RoomShown }) {
  const { t } = useTranslation('customer');
  if (room.photos.length === 0 && !room.video) return null;
  return (
    <div className="room-media">
      {room.photos.length > 0 && (
        <div className="room-photos">
          {room.photos.map((src, i) => (
            <img
              key={`${i}-${src}`}
              src={src}
              alt={t('store.photoOf', { room: room.name, n: i + 1 })}
              loading="lazy"
            />
          ))}
        </div>
      )}
      {room.video && (
        <video
          className="room-video"
          src={room.video}
          poster={room.videoPoster ?? undefined}
          controls
          playsInline
          preload="metadata"
          aria-label={t('store.videoOf', { room: room.name })}
        >
          {t('store.videoFallback')}
        </video>
      )}
    </div>
  );
}
