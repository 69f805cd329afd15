// Contracts shared by the hub and the cloud. Pure: no I/O, no clock, no randomness.
export * from './time/instant';
