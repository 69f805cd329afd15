// A mainland mobile number, as every form and route that takes a customer's phone checks it.
import { z } from 'zod';

/** 11 digits, starting 13 to 19. */
export const MOBILE_NUMBER = /^1[3-9]\d{9}$/;

export const MobileSchema = z
  .string()
  .regex(MOBILE_NUMBER, 'must be an 11-digit mainland mobile number');
