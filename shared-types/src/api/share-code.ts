// The code a deal's share link carries (`?share=`): who shared it, known only to the cloud. It
// names nobody by itself, so a link passed on spells no phone and no customer id. A file of its
// own so the schemas that take it (a purchase, joining a store) import no more than this.
import { z } from 'zod';

export const ShareCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{12}$/, 'must be the 12 letters and digits of a share link');
