// Contracts shared by the hub and the cloud. Pure: no I/O, no clock, no randomness.
export * from './errors';
export * from './time/instant';
export * from './time/clock';
export * from './booking/booking-status';
export * from './booking/booking-rules';
export * from './booking/slots';
export * from './booking/span-rules';
export * from './booking/segments';
export * from './payments/payment-method';
export * from './devices/device-kinds';
export * from './store/store';
export * from './api/bookings';
export * from './pricing/index';
export * from './calendar/index';
export * from './sync/databases';
export * from './sync/documents';
export * from './sync/customer-id';
