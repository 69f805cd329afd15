/** A mainland mobile number as the cloud takes it: 11 digits starting 13 to 19. */
export const MOBILE = /^1[3-9]\d{9}$/;
